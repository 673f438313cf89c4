import { belgianPublicHolidays, fwbHoliday } from './belgian-holidays';
import { endOfDayInBrussels } from './brussels-time';
import { addDays, assertIsoDate, dayOfWeek, IsoDate, toEpochDay, yearOf } from './iso-date';

export interface CalendarProfile {
  /** A service of the Fédération Wallonie-Bruxelles (SAJ, SPJ): 27 September is a day off. */
  readonly fwbService: boolean;
  /** The organisation's own closure days. */
  readonly closureDays: readonly IsoDate[];
}

/** N working days in the obliged party's calendar, or the same day. */
export type Deadline = number | 'immediate';

export class InvalidWorkingDaysError extends Error {
  constructor(readonly value: unknown) {
    super(`A number of working days must be a non-negative integer: ${String(value)}`);
    this.name = 'InvalidWorkingDaysError';
  }
}

/**
 * One organisation's working days in Europe/Brussels: not a weekend, not a Belgian public holiday,
 * not 27 September for a Fédération Wallonie-Bruxelles service, not one of its closure days.
 *
 * Counting starts the day after the event, and only working days count: the first working day
 * after a Saturday is day 1, so an event on Saturday, Sunday or Friday gets the same due date.
 */
export class WorkingCalendar {
  private readonly closureDays: ReadonlySet<IsoDate>;

  constructor(private readonly profile: CalendarProfile) {
    this.closureDays = new Set(profile.closureDays.map(assertIsoDate));
  }

  isWorkingDay(date: IsoDate): boolean {
    const weekday = dayOfWeek(date);
    if (weekday === 0 || weekday === 6) return false;
    if (this.closureDays.has(date)) return false;
    const year = yearOf(date);
    if (this.profile.fwbService && date === fwbHoliday(year)) return false;
    return !belgianPublicHolidays(year).has(date);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    let day = addDays(date, 1);
    while (!this.isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: IsoDate): IsoDate {
    let day = addDays(date, -1);
    while (!this.isWorkingDay(day)) day = addDays(day, -1);
    return day;
  }

  /**
   * The date `n` working days after `date`, counting from the day after. With n = 0: `date` itself
   * when it is a working day, else the next working day.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidWorkingDaysError(n);
    if (n === 0) return this.isWorkingDay(date) ? date : this.nextWorkingDay(date);
    let day = date;
    for (let counted = 0; counted < n; counted++) day = this.nextWorkingDay(day);
    return day;
  }

  /**
   * Working days after `from` up to and including `to`; negative when `to` is before `from`, so
   * that workingDaysBetween(a, b) === -workingDaysBetween(b, a). The logging delay of an event is
   * workingDaysBetween(occurredOn, recordedOn).
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const start = toEpochDay(from);
    const end = toEpochDay(to);
    // 0 - n rather than -n: an empty span backwards is 0, not -0.
    if (end < start) return 0 - this.workingDaysBetween(to, from);
    let count = 0;
    for (let day = addDays(from, 1); toEpochDay(day) <= end; day = addDays(day, 1)) {
      if (this.isWorkingDay(day)) count++;
    }
    return count;
  }

  /** The last date on which the obligation can be met; 'immediate' means the day it occurred. */
  dueDate(occurredOn: IsoDate, deadline: Deadline): IsoDate {
    return deadline === 'immediate'
      ? assertIsoDate(occurredOn)
      : this.addWorkingDays(occurredOn, deadline);
  }

  /** The instant the deadline expires: the end of the due date in Brussels. */
  dueAt(occurredOn: IsoDate, deadline: Deadline): Date {
    return endOfDayInBrussels(this.dueDate(occurredOn, deadline));
  }

  /** Not yet overdue on `today`, and due today or on the next working day. */
  isAtRisk(dueDate: IsoDate, today: IsoDate): boolean {
    if (toEpochDay(today) > toEpochDay(dueDate)) return false;
    return this.workingDaysBetween(today, dueDate) <= 1;
  }
}
