import type { SqlTransaction } from '@relais/database';
import { WorkingCalendar } from '@relais/calendar';
import { CompetenceDirectory } from '@relais/network';
import { ProtocolDefinition } from '@relais/protocol';
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
  return {
    addWorkingDays: (id, date, days) => calendarOf(id).addWorkingDays(date, days),
    workingDaysBetween: (id, from, to) => calendarOf(id).workingDaysBetween(from, to),
    previousWorkingDay: (id, date) => calendarOf(id).previousWorkingDay(date),
  };
}

/**
 * Each organisation's calendar with the closure days the network's read model holds now, so a
 * closure registered after start-up moves the deadlines computed from then on. Read it again for
 * each batch, round or request: it is one small query.
 */
export async function currentCalendars(
  directory: CompetenceDirectory,
  db: SqlTransaction,
): Promise<Calendars> {
  const { rows } = await db.query<{ id: string; days: string[] }>(
    `select id, array(select to_char(d, 'YYYY-MM-DD') from unnest(closure_days) d order by d) as days
     from organisations where cardinality(closure_days) > 0`,
  );
  const closures = new Map(rows.map((row) => [row.id, row.days]));
  return calendarsOf(directory, (id) => closures.get(id) ?? []);
}

/** The organisations that must sign a protocol: those it names, and every one of a kind in its arrondissements. */
export function signatoriesOf(
  protocol: ProtocolDefinition,
  directory: CompetenceDirectory,
): string[] {
  const network = networkOf(directory);
  return protocol.partners.flatMap((partner) =>
    'organisation' in partner
      ? [partner.organisation]
      : directory
          .listOrganisations()
          .filter(
            (o) =>
              o.kind === partner.kind &&
              network.arrondissementsOf(o.id).some((a) => partner.arrondissements.includes(a)),
          )
          .map((o) => o.id),
  );
}
