/**
 * Compliance figures are sums: each obligation contributes a vector of counts (and one bucket of
 * each delay histogram), a group's figures are the sum of its obligations' vectors, and medians
 * and percentiles come from the summed histograms. Delays are whole working days, so the
 * histograms give exact medians; sums merge across organisations, rules and months at no cost.
 */

import type { Indicators } from '@relais/wire';

/** Delays of this many working days or more share the last bucket. */
export const MAX_DELAY_BUCKET = 30;

const COUNTS = [
  'obligations',
  'loggedOnTime',
  'acknowledgedOnTime',
  'acknowledgedLate',
  'unacknowledgedBreached',
  'breached',
  'blocked',
  'fulfilledOutside',
  'open',
] as const;
type Count = (typeof COUNTS)[number];

const BUCKETS = MAX_DELAY_BUCKET + 1;
const LOGGING_HISTOGRAM = COUNTS.length;
const ACKNOWLEDGEMENT_HISTOGRAM = LOGGING_HISTOGRAM + BUCKETS;
export const VECTOR_LENGTH = ACKNOWLEDGEMENT_HISTOGRAM + BUCKETS;

export type Vector = number[];

/**
 * One obligation's status, from its facts, most telling first: fulfilled outside Relais; blocked
 * (nothing could be sent); breached (logged after its due date, or unacknowledged when the
 * escalation window closed); acknowledged late or on time; informed (no acknowledgement asked);
 * open.
 */
export type ComplianceStatus =
  | 'open'
  | 'acknowledged_on_time'
  | 'acknowledged_late'
  | 'breached'
  | 'blocked_no_legal_basis'
  | 'fulfilled_outside'
  | 'informed';

export interface ObligationFacts {
  readonly loggedOnTime: boolean;
  readonly loggingDelay: number;
  readonly blocked: boolean;
  readonly acknowledgementRequired: boolean;
  readonly acknowledgedLate: boolean | null;
  readonly acknowledgementDelay: number | null;
  readonly breachReason: 'logged_late' | 'unacknowledged' | 'acknowledged_late' | null;
  readonly fulfilledOutside: boolean;
}

export function statusOf(facts: ObligationFacts): ComplianceStatus {
  if (facts.fulfilledOutside) return 'fulfilled_outside';
  if (facts.blocked) return 'blocked_no_legal_basis';
  if (facts.breachReason === 'logged_late' || facts.breachReason === 'unacknowledged')
    return 'breached';
  if (facts.acknowledgedLate !== null)
    return facts.acknowledgedLate ? 'acknowledged_late' : 'acknowledged_on_time';
  return facts.acknowledgementRequired ? 'open' : 'informed';
}

export function emptyVector(): Vector {
  return new Array<number>(VECTOR_LENGTH).fill(0);
}

const bucket = (delay: number) => Math.min(Math.max(delay, 0), MAX_DELAY_BUCKET);

export function contribution(facts: ObligationFacts): Vector {
  const vector = emptyVector();
  const count = (name: Count, yes: boolean) => {
    if (yes) vector[COUNTS.indexOf(name)] = 1;
  };
  const status = statusOf(facts);
  count('obligations', true);
  count('loggedOnTime', facts.loggedOnTime);
  count('acknowledgedOnTime', facts.acknowledgedLate === false);
  count('acknowledgedLate', facts.acknowledgedLate === true);
  count(
    'unacknowledgedBreached',
    facts.breachReason === 'unacknowledged' && facts.acknowledgedLate === null,
  );
  count('breached', status === 'breached');
  count('blocked', facts.blocked);
  count('fulfilledOutside', facts.fulfilledOutside);
  count('open', status === 'open');
  vector[LOGGING_HISTOGRAM + bucket(facts.loggingDelay)] = 1;
  if (facts.acknowledgementDelay !== null)
    vector[ACKNOWLEDGEMENT_HISTOGRAM + bucket(facts.acknowledgementDelay)] = 1;
  return vector;
}

/** `into` + `sign` × `vector`, in place. */
export function addInto(into: Vector, vector: readonly number[], sign = 1): Vector {
  for (let i = 0; i < VECTOR_LENGTH; i++) into[i] = (into[i] ?? 0) + sign * (vector[i] ?? 0);
  return into;
}

export function isZero(vector: readonly number[]): boolean {
  return vector.every((value) => value === 0);
}

export type { Indicators } from '@relais/wire';

/** The smallest delay d such that at least `q` of the histogram's mass lies at or below d. */
export function quantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let delay = 0; delay < histogram.length; delay++) {
    seen += histogram[delay] ?? 0;
    if (seen >= Math.max(rank, 1)) return delay;
  }
  return histogram.length - 1;
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export function indicatorsOf(vector: readonly number[], atRisk = 0): Indicators {
  const get = (name: Count) => vector[COUNTS.indexOf(name)] ?? 0;
  const logging = vector.slice(LOGGING_HISTOGRAM, LOGGING_HISTOGRAM + BUCKETS);
  const acknowledgement = vector.slice(
    ACKNOWLEDGEMENT_HISTOGRAM,
    ACKNOWLEDGEMENT_HISTOGRAM + BUCKETS,
  );
  const settled =
    get('acknowledgedOnTime') + get('acknowledgedLate') + get('unacknowledgedBreached');
  return {
    obligations: get('obligations'),
    loggedOnTime: get('loggedOnTime'),
    loggedOnTimeShare: share(get('loggedOnTime'), get('obligations')),
    loggingDelayMedian: quantile(logging, 0.5),
    loggingDelayP90: quantile(logging, 0.9),
    acknowledgedOnTime: get('acknowledgedOnTime'),
    acknowledgedLate: get('acknowledgedLate'),
    acknowledgedOnTimeShare: share(get('acknowledgedOnTime'), settled),
    acknowledgementDelayMedian: quantile(acknowledgement, 0.5),
    open: get('open'),
    atRisk,
    breached: get('breached'),
    blocked: get('blocked'),
    fulfilledOutside: get('fulfilledOutside'),
  };
}
