export const CLOCK = Symbol('CLOCK');

/** Time enters through here, so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const BRUSSELS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Belgium at that instant, as YYYY-MM-DD. */
export function brusselsDate(at: Date): string {
  return BRUSSELS.format(at);
}
