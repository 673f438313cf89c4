export const CLOCK = Symbol('CLOCK');

/** Time enters through here, so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
