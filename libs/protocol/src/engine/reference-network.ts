import { WorkingCalendar } from '@relais/calendar';
import { CompetenceDirectory } from '@relais/network';
import { Calendars, Network } from './obligations';

/** The engine's view of the competence directory. */
export function networkOf(directory: CompetenceDirectory): Network {
  return {
    kindOf: (id) => directory.organisation(id)?.kind,
    competentFor: (kind, ins) => directory.competentFor(kind, ins)?.id,
    serves: (id, ins) => (directory.communesOf(id) ?? []).some((c) => c.ins === ins),
    arrondissementsOf: (id) => [
      ...new Set((directory.communesOf(id) ?? []).map((c) => c.arrondissement)),
    ],
  };
}

/** Each organisation's working days: FWB services close on 27 September, and each its closure days. */
export function calendarsOf(
  directory: CompetenceDirectory,
  closureDays: (id: string) => readonly string[] = () => [],
): Calendars {
  const calendars = new Map<string, WorkingCalendar>();
  const calendarOf = (id: string) => {
    let calendar = calendars.get(id);
    if (!calendar) {
      calendar = new WorkingCalendar({
        fwbService: directory.organisation(id)?.fwbService ?? false,
        closureDays: closureDays(id),
      });
      calendars.set(id, calendar);
    }
    return calendar;
  };
  return { addWorkingDays: (id, date, days) => calendarOf(id).addWorkingDays(date, days) };
}
