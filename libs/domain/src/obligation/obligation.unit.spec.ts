import { fold } from '../decider';
import {
  decideObligation,
  obligationDecider,
  ObligationEvent,
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
    dueOn: '2026-11-27',
    acknowledgementWithinWorkingDays: 5,
    acknowledgementDueOn: '2026-11-27',
    sharedData: { reason: 'other' },
    channels: ['inbox'],
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

  it('refuses an acknowledgement from another organisation, of a blocked obligation, or of none', () => {
    expect(() => decide([opened()], acknowledge('cpas-dinant'))).toThrow(
      expect.objectContaining({ code: 'NOT_THE_RECIPIENT' }) as Error,
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
});
