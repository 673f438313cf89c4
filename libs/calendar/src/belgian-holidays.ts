import Holidays from 'date-holidays';
import { addDays, IsoDate } from '@relais/kernel';

const DAY_MS = 86_400_000;

let belgium: Holidays | undefined;
const publicHolidaysByYear = new Map<number, ReadonlySet<IsoDate>>();

/**
 * National Belgian public holidays of that year. date-holidays also lists observances (Fête du
 * Roi, Saint-Nicolas, and 27 September as an observance of the Communauté française region):
 * offices are open on those, so they are left out.
 */
export function belgianPublicHolidays(year: number): ReadonlySet<IsoDate> {
  const cached = publicHolidaysByYear.get(year);
  if (cached) return cached;
  belgium ??= new Holidays('BE');
  const dates = new Set<IsoDate>();
  for (const holiday of belgium.getHolidays(year)) {
    if (holiday.type !== 'public') continue;
    const first = holiday.date.slice(0, 10);
    const days = Math.max(
      1,
      Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS),
    );
    for (let offset = 0; offset < days; offset++) dates.add(addDays(first, offset));
  }
  publicHolidaysByYear.set(year, dates);
  return dates;
}

/** Fête de la Fédération Wallonie-Bruxelles: a day off for its services (SAJ, SPJ), not for a CPAS. */
export function fwbHoliday(year: number): IsoDate {
  return `${String(year).padStart(4, '0')}-09-27`;
}
