/** A calendar date as 'YYYY-MM-DD'; such strings sort as dates. */
export type IsoDate = string;

export class InvalidDateError extends Error {
  constructor(readonly value: unknown) {
    super(`Not a calendar date (YYYY-MM-DD): ${String(value)}`);
    this.name = 'InvalidDateError';
  }
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01; the round trip rejects dates such as 2026-02-30. */
export function toEpochDay(date: IsoDate): number {
  const match = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (!match) throw new InvalidDateError(date);
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  if (fromEpochDay(ms / DAY_MS) !== date) throw new InvalidDateError(date);
  return ms / DAY_MS;
}

export function fromEpochDay(epochDay: number): IsoDate {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

export function assertIsoDate(date: IsoDate): IsoDate {
  toEpochDay(date);
  return date;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** 0 = Sunday … 6 = Saturday, as `Date.prototype.getUTCDay`. */
export function dayOfWeek(date: IsoDate): number {
  return new Date(toEpochDay(date) * DAY_MS).getUTCDay();
}

export function yearOf(date: IsoDate): number {
  return Number(assertIsoDate(date).slice(0, 4));
}
