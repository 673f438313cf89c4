import { isCalendarDate } from '@relais/wire';

/** Dates travel as ISO `YYYY-MM-DD`; people read and type them the Belgian way, `dd/mm/yyyy`. */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const TYPED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

function isRealDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Whether a string is an ISO date of a day that exists (`2026-02-30` is not), as the API judges. */
export function isIsoDate(value: string): boolean {
  return isCalendarDate(value);
}

/** `2026-11-20` -> `20/11/2026`; anything else is returned as it is. */
export function formatIsoDate(iso: string): string {
  const match = ISO.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

/**
 * What a person typed -> an ISO date, or undefined when it is not a day that exists.
 * Accepts `20/11/2026`, `2/3/2026`, `20-11-2026`, `20.11.2026`, and ISO itself.
 */
export function parseTypedDate(text: string): string | undefined {
  const value = text.trim();
  if (isIsoDate(value)) return value;
  const match = TYPED.exec(value);
  if (!match) return undefined;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDay(year, month, day) ? `${year}-${pad(month)}-${pad(day)}` : undefined;
}

/** A timestamp as Brussels reads it: `20/11/2026 10:05`. */
export function formatTimestamp(instant: string | Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(typeof instant === 'string' ? new Date(instant) : instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
}

/** The month of an ISO date: `2026-11-20` -> `2026-11`. */
export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** `2026-11` -> `11/2026`. */
export function formatMonth(month: string): string {
  const [year, number] = month.split('-');
  return year && number ? `${number}/${year}` : month;
}
