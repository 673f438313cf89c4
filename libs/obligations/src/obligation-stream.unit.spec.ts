import { fold, ObligationEvent, obligationDecider } from '@relais/domain';
import { dinantNetwork } from '@relais/network';
import { deadlineEvents, deliveryEvent } from './obligation-stream';
import { calendarsOf } from './reference-network';
import { anObligationOpened } from './testing/an-obligation';

const calendars = calendarsOf(dinantNetwork());
const opened: ObligationEvent = { type: 'ObligationOpened', data: anObligationOpened() };
const given = (...events: ObligationEvent[]) => ({
  on: (today: string) => deadlineEvents(fold(obligationDecider, events), today, calendars),
});

describe('deadlineEvents', () => {
  it('given an acknowledgement due today, decides nothing', () => {
    expect(given(opened).on('2026-11-25')).toEqual([]);
  });

  it('given an overdue acknowledgement, escalates to the recipient’s managers', () => {
    expect(given(opened).on('2026-11-26')).toEqual([
      {
        type: 'ObligationEscalated',
        data: {
          obligationId: 'o-1',
          to: 'recipient_managers',
          reason: 'unacknowledged',
          on: '2026-11-26',
        },
      },
    ]);
  });

  it('given an escalation, breaches once its working days have passed, not before', () => {
    const escalated = given(opened).on('2026-11-26');
    expect(given(opened, ...escalated).on('2026-11-27')).toEqual([]);
    expect(given(opened, ...escalated).on('2026-11-30')).toEqual([
      {
        type: 'ObligationBreached',
        data: { obligationId: 'o-1', reason: 'unacknowledged', on: '2026-11-30' },
      },
    ]);
  });

  it('given no obligation, decides nothing', () => {
    expect(given().on('2026-11-30')).toEqual([]);
  });
});

describe('deliveryEvent', () => {
  const delivery = {
    id: 'd-1',
    obligationId: 'o-1',
    channel: 'email' as const,
    recipient: 'a@b.be',
    message: { to: 'a@b.be', subject: 's', text: 't' },
    attempt: 2,
    retriedAfter: 0,
  };
  const base = { obligationId: 'o-1', channel: 'email', deliveryId: 'd-1', attempt: 2 };

  it('writes a dispatch for a delivered send and a failure, dead-lettered or not, for another', () => {
    expect(deliveryEvent({ delivered: true, delivery })).toEqual({
      type: 'ObligationDispatched',
      data: base,
    });
    expect(
      deliveryEvent({ delivered: false, delivery, reason: 'timeout', deadLettered: true }),
    ).toEqual({
      type: 'ObligationDeliveryFailed',
      data: { ...base, reason: 'timeout', deadLettered: true },
    });
  });
});
