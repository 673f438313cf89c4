import { fold } from '../decider';
import {
  decideObligation,
  obligationDecider,
  ObligationEvent,
  ObligationNotFound,
  ObligationRuleViolation,
} from './obligation';

const opened = (
  status: 'open' | 'blocked_no_legal_basis' = 'open',
): Extract<ObligationEvent, { type: 'ObligationOpened' }> => ({
  type: 'ObligationOpened',
  data: {
    obligationId: 'o-1',
    protocolId: 'dinant-cpas-saj',
    protocolVersion: 1,
    ruleId: 'cpas-ris-suppressed',
    caseId: 'case-1',
    eventId: 'e-1',
    eventType: 'RisSuppressed',
    obligedOrganisationId: 'cpas-ciney',
    recipientOrganisationId: 'saj-dinant',
    occurredOn: '2026-11-20',
    loggedOn: '2026-11-20',
    dueOn: '2026-11-27',
    acknowledgementWithinWorkingDays: 5,
    acknowledgementDueOn: '2026-11-27',
    sharedData: { reason: 'other' },
    channels: ['inbox'],
    assignedStaffIds: ['delegue1'],
    status,
  },
});
const acknowledge = (organisationId = 'saj-dinant') => ({
  type: 'AcknowledgeObligation' as const,
  data: { acknowledgedBy: 'delegue1', organisationId, acknowledgedOn: '2026-11-23' },
});
const decide = (history: ObligationEvent[], command: Parameters<typeof decideObligation>[0]) =>
  decideObligation(command, fold(obligationDecider, history));

describe('obligation', () => {
  it('opens once: a second opening is refused', () => {
    const open = opened();
    expect(decide([], { type: 'OpenObligation', data: open.data })).toEqual([open]);
    expect(() => decide([open], { type: 'OpenObligation', data: open.data })).toThrow(
      expect.objectContaining({ code: 'OBLIGATION_EXISTS' }) as Error,
    );
  });

  it('is acknowledged by its recipient, once', () => {
    expect(decide([opened()], acknowledge())).toEqual([
      {
        type: 'ObligationAcknowledged',
        data: {
          obligationId: 'o-1',
          acknowledgedBy: 'delegue1',
          organisationId: 'saj-dinant',
          acknowledgedOn: '2026-11-23',
        },
      },
    ]);
    const acknowledged = decide([opened()], acknowledge());
    expect(() => decide([opened(), ...acknowledged], acknowledge())).toThrow(
      expect.objectContaining({ code: 'ALREADY_ACKNOWLEDGED' }) as Error,
    );
  });

  it('is breached when acknowledged after its acknowledgement due date, unless already breached', () => {
    const late = {
      ...acknowledge(),
      data: { ...acknowledge().data, acknowledgedOn: '2026-11-30' },
    };
    expect(decide([opened()], late)).toEqual([
      expect.objectContaining({ type: 'ObligationAcknowledged' }) as ObligationEvent,
      {
        type: 'ObligationBreached',
        data: { obligationId: 'o-1', reason: 'acknowledged_late', on: '2026-11-30' },
      },
    ]);
    const onTheDueDate = {
      ...acknowledge(),
      data: { ...acknowledge().data, acknowledgedOn: '2026-11-27' },
    };
    expect(decide([opened()], onTheDueDate)).toHaveLength(1);
    const breached: ObligationEvent = {
      type: 'ObligationBreached',
      data: { obligationId: 'o-1', reason: 'unacknowledged', on: '2026-12-02' },
    };
    expect(decide([opened(), breached], late)).toHaveLength(1);
  });

  it('refuses an acknowledgement from another organisation, of a blocked obligation, or of none', () => {
    expect(() => decide([opened()], acknowledge('cpas-dinant'))).toThrow(ObligationNotFound);
    expect(() => decide([opened()], acknowledge('cpas-dinant'))).toThrow(
      expect.objectContaining({ code: 'OBLIGATION_NOT_FOUND' }) as Error,
    );
    expect(() => decide([opened('blocked_no_legal_basis')], acknowledge())).toThrow(
      ObligationRuleViolation,
    );
    expect(() => decide([], acknowledge())).toThrow(
      expect.objectContaining({ code: 'OBLIGATION_NOT_FOUND' }) as Error,
    );
  });

  describe('deadlines', () => {
    const check = (today: string, escalationDeadlinePassed = false) => ({
      type: 'CheckDeadlines' as const,
      data: { today, escalationDeadlinePassed },
    });

    it('does nothing on or before the acknowledgement due date', () => {
      expect(decide([opened()], check('2026-11-27'))).toEqual([]);
    });

    it('escalates to the recipient’s managers the day after, once', () => {
      const escalated = decide([opened()], check('2026-11-28'));
      expect(escalated).toEqual([
        {
          type: 'ObligationEscalated',
          data: {
            obligationId: 'o-1',
            to: 'recipient_managers',
            reason: 'unacknowledged',
            on: '2026-11-28',
          },
        },
      ]);
      expect(decide([opened(), ...escalated], check('2026-11-29'))).toEqual([]);
    });

    it('breaches once the escalation window has passed too, and never after an acknowledgement', () => {
      const escalated = decide([opened()], check('2026-11-28'));
      expect(decide([opened(), ...escalated], check('2026-12-02', true))).toEqual([
        {
          type: 'ObligationBreached',
          data: { obligationId: 'o-1', reason: 'unacknowledged', on: '2026-12-02' },
        },
      ]);
      const acknowledged = decide([opened()], acknowledge());
      expect(decide([opened(), ...acknowledged], check('2026-12-02', true))).toEqual([]);
      expect(decide([opened('blocked_no_legal_basis')], check('2026-12-02', true))).toEqual([]);
    });
  });

  describe('fulfilled outside Relais', () => {
    const fulfil = {
      type: 'RecordFulfilmentOutsideRelais' as const,
      data: { caseEventId: 'e-2', sharedOn: '2026-11-21', channel: 'phone' },
    };
    const fulfilled: ObligationEvent = {
      type: 'ObligationFulfilledOutsideRelais',
      data: { obligationId: 'o-1', caseEventId: 'e-2', sharedOn: '2026-11-21', channel: 'phone' },
    };

    it('closes an open or blocked obligation once, and no deadline follows', () => {
      expect(decide([opened()], fulfil)).toEqual([fulfilled]);
      expect(decide([opened('blocked_no_legal_basis')], fulfil)).toEqual([fulfilled]);
      expect(decide([opened(), fulfilled], fulfil)).toEqual([]);
      expect(
        decide([opened(), fulfilled], {
          type: 'CheckDeadlines',
          data: { today: '2026-12-02', escalationDeadlinePassed: true },
        }),
      ).toEqual([]);
    });

    it('leaves an acknowledged obligation as it is, and still lets the recipient acknowledge', () => {
      const acknowledged = decide([opened()], acknowledge());
      expect(decide([opened(), ...acknowledged], fulfil)).toEqual([]);
      expect(decide([opened(), fulfilled], acknowledge())).toHaveLength(1);
    });
  });

  it('keeps its state through deliveries, successful or not', () => {
    const delivery: ObligationEvent[] = [
      {
        type: 'ObligationDeliveryFailed',
        data: {
          obligationId: 'o-1',
          channel: 'webhook',
          deliveryId: 'd-1',
          attempt: 1,
          reason: 'HTTP 503',
          deadLettered: false,
        },
      },
      {
        type: 'ObligationDispatched',
        data: { obligationId: 'o-1', channel: 'webhook', deliveryId: 'd-1', attempt: 2 },
      },
    ];
    expect(fold(obligationDecider, [opened(), ...delivery])).toEqual(
      fold(obligationDecider, [opened()]),
    );
  });
});
