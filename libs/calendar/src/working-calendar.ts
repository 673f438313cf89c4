import { belgianPublicHolidays, fwbHoliday } from './belgian-holidays';
import { endOfDayInBrussels } from './brussels-time';
import {
  assertIsoDate,
  dayOfWeek,
  fromEpochDay,
  IsoDate,
  toEpochDay,
  yearOf,
} from '@relais/kernel';

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

  /** Whether each day (in days since 1970) is a working day: computed once per day and calendar. */
  private readonly working = new Map<number, boolean>();

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingEpochDay(toEpochDay(date));
  }

  private isWorkingEpochDay(day: number): boolean {
    let working = this.working.get(day);
    if (working === undefined) {
      working = this.computeIsWorkingDay(fromEpochDay(day));
      this.working.set(day, working);
    }
    return working;
  }

  private computeIsWorkingDay(date: IsoDate): boolean {
    const weekday = dayOfWeek(date);
    if (weekday === 0 || weekday === 6) return false;
    if (this.closureDays.has(date)) return false;
    const year = yearOf(date);
    if (this.profile.fwbService && date === fwbHoliday(year)) return false;
    return !belgianPublicHolidays(year).has(date);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return fromEpochDay(this.nextWorkingEpochDay(toEpochDay(date)));
  }

  private nextWorkingEpochDay(day: number): number {
    let next = day + 1;
    while (!this.isWorkingEpochDay(next)) next++;
    return next;
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: IsoDate): IsoDate {
    let day = toEpochDay(date) - 1;
    while (!this.isWorkingEpochDay(day)) day--;
    return fromEpochDay(day);
  }

  /**
   * The date `n` working days after `date`, counting from the day after. With n = 0: `date` itself
   * when it is a working day, else the next working day.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidWorkingDaysError(n);
    let day = toEpochDay(date);
    if (n === 0)
      return this.isWorkingEpochDay(day) ? date : fromEpochDay(this.nextWorkingEpochDay(day));
    for (let counted = 0; counted < n; counted++) day = this.nextWorkingEpochDay(day);
    return fromEpochDay(day);
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
    for (let day = start + 1; day <= end; day++) if (this.isWorkingEpochDay(day)) count++;
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
