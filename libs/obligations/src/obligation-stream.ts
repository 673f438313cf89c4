import type { DeliveryOutcome } from '@relais/delivery';
import { ObligationEvent, obligationDecider, ObligationState } from '@relais/domain';
import { commandHandler } from '@relais/event-store';
import { Calendars } from './obligations';

/** A command on an obligation's stream, on the one command path. */
export const handleObligation = commandHandler<ObligationEvent, ObligationState>(obligationDecider);

/**
 * What the deadline watcher decides for one obligation today: escalated once its acknowledgement
 * is overdue, breached once the working days its rule gives the escalation have passed too.
 */
export function deadlineEvents(
  state: ObligationState,
  today: string,
  calendars: Calendars,
): readonly ObligationEvent[] {
  if (state.status === 'none' || state.acknowledgementDueOn === null) return [];
  const breachFrom = calendars.addWorkingDays(
    state.recipientOrganisationId,
    state.acknowledgementDueOn,
    state.escalation.breachAfterWorkingDays,
  );
  return obligationDecider.decide(
    { type: 'CheckDeadlines', data: { today, escalationDeadlinePassed: today > breachFrom } },
    state,
  );
}

/** What a send's outcome writes on its obligation's stream: dispatched, or delivery failed. */
export function deliveryEvent(outcome: DeliveryOutcome): ObligationEvent {
  const { delivery } = outcome;
  const base = {
    obligationId: delivery.obligationId,
    channel: delivery.channel,
    deliveryId: delivery.id,
    attempt: delivery.attempt,
  };
  return outcome.delivered
    ? { type: 'ObligationDispatched', data: base }
    : {
        type: 'ObligationDeliveryFailed',
        data: { ...base, reason: outcome.reason, deadLettered: outcome.deadLettered },
      };
}
