import type { ObligationView, TimelineEntry } from '@relais/wire';

/**
 * Which event each obligation came from: obligations carry no event id, so the latest event of
 * their type, date and obliged party (two such events on one day share their obligations).
 */
export function obligationsByEvent(
  timeline: readonly TimelineEntry[],
  obligations: readonly ObligationView[],
): { byEvent: ReadonlyMap<string, ObligationView[]>; unmatched: ObligationView[] } {
  const byEvent = new Map<string, ObligationView[]>();
  const unmatched: ObligationView[] = [];
  for (const obligation of obligations) {
    const source = [...timeline]
      .reverse()
      .find(
        (e) =>
          e.type === obligation.eventType &&
          e.occurredOn === obligation.occurredOn &&
          e.organisationId === obligation.obligedOrganisationId,
      );
    if (source) byEvent.set(source.eventId, [...(byEvent.get(source.eventId) ?? []), obligation]);
    else unmatched.push(obligation);
  }
  return { byEvent, unmatched };
}
