import { InvalidDateError, IsoDate, toEpochDay } from '@relais/kernel';

const TIME_ZONE = 'Europe/Brussels';

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function wallClockParts(
  instant: Date,
): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts = Object.fromEntries(
    wallClock.formatToParts(instant).map((part) => [part.type, part.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new InvalidDateError(instant);
  }
}

/** The calendar date in Brussels at that instant. */
export function brusselsDate(instant: Date): IsoDate {
  assertInstant(instant);
  const { year, month, day } = wallClockParts(instant);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Milliseconds Brussels is ahead of UTC at that instant (3_600_000 in winter, 7_200_000 in summer). */
function brusselsOffset(instant: Date): number {
  const { year, month, day, hour, minute, second } = wallClockParts(instant);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  return asUtc - (instant.getTime() - instant.getUTCMilliseconds());
}

/**
 * The last millisecond of that day in Brussels (23:59:59.999 local time), the instant a deadline
 * falling on that date expires. Brussels changes clocks at 02:00/03:00, so 23:59 is never ambiguous.
 */
export function endOfDayInBrussels(date: IsoDate): Date {
  const wallTimeAsUtc = (toEpochDay(date) + 1) * 86_400_000 - 1;
  const guess = wallTimeAsUtc - brusselsOffset(new Date(wallTimeAsUtc));
  return new Date(wallTimeAsUtc - brusselsOffset(new Date(guess)));
}
