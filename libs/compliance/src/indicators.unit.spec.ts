import {
  addInto,
  contribution,
  emptyVector,
  indicatorsOf,
  MAX_DELAY_BUCKET,
  ObligationFacts,
  quantile,
  statusOf,
} from './indicators';

const facts = (overrides: Partial<ObligationFacts> = {}): ObligationFacts => ({
  loggedOnTime: true,
  loggingDelay: 1,
  blocked: false,
  acknowledgementRequired: true,
  acknowledgedLate: null,
  acknowledgementDelay: null,
  breachReason: null,
  fulfilledOutside: false,
  ...overrides,
});

describe('compliance indicators', () => {
  it('gives each obligation one status, the most telling first', () => {
    expect(statusOf(facts())).toBe('open');
    expect(statusOf(facts({ acknowledgementRequired: false }))).toBe('informed');
    expect(statusOf(facts({ acknowledgedLate: false, acknowledgementDelay: 2 }))).toBe(
      'acknowledged_on_time',
    );
    expect(statusOf(facts({ acknowledgedLate: true, breachReason: 'acknowledged_late' }))).toBe(
      'acknowledged_late',
    );
    expect(statusOf(facts({ loggedOnTime: false, breachReason: 'logged_late' }))).toBe('breached');
    expect(statusOf(facts({ breachReason: 'unacknowledged', acknowledgedLate: true }))).toBe(
      'breached',
    );
    expect(statusOf(facts({ blocked: true }))).toBe('blocked_no_legal_basis');
    expect(statusOf(facts({ blocked: true, fulfilledOutside: true }))).toBe('fulfilled_outside');
  });

  it('takes the lower middle value as the median and counts ranks up for the 90th percentile', () => {
    expect(quantile([0, 1, 1, 1], 0.5)).toBe(2); // 1, 2, 3
    expect(quantile([0, 1, 0, 1], 0.5)).toBe(1); // 1, 3: the lower middle
    expect(quantile([5, 3, 1, 0, 1], 0.9)).toBe(2); // rank 9 of 10
    expect(quantile([0, 0], 0.5)).toBeNull();
  });

  it('matches a hand-computed month of six obligations', () => {
    const month = [
      // logged 1 working day after, acknowledged on time after 2
      facts({ loggingDelay: 1, acknowledgedLate: false, acknowledgementDelay: 2 }),
      // logged after 3, acknowledged on time after 4
      facts({ loggingDelay: 3, acknowledgedLate: false, acknowledgementDelay: 4 }),
      // logged after 4, acknowledged late after 7
      facts({
        loggingDelay: 4,
        acknowledgedLate: true,
        acknowledgementDelay: 7,
        breachReason: 'acknowledged_late',
      }),
      // logged late (7 working days for a 5-day deadline), still open
      facts({ loggedOnTime: false, loggingDelay: 7, breachReason: 'logged_late' }),
      // logged on the day, never acknowledged: breached
      facts({ loggingDelay: 0, breachReason: 'unacknowledged' }),
      // blocked, then told by phone
      facts({ loggingDelay: 2, blocked: true, fulfilledOutside: true }),
    ];
    const sum = month.reduce((total, f) => addInto(total, contribution(f)), emptyVector());
    expect(indicatorsOf(sum, 1)).toEqual({
      obligations: 6,
      loggedOnTime: 5,
      loggedOnTimeShare: 5 / 6,
      loggingDelayMedian: 2, // 0 1 2 | 3 4 7
      loggingDelayP90: 7, // rank 6 of 6
      acknowledgedOnTime: 2,
      acknowledgedLate: 1,
      acknowledgedOnTimeShare: 2 / 4, // on time 2, late 1, breached unacknowledged 1
      acknowledgementDelayMedian: 4, // 2 4 7
      open: 0,
      atRisk: 1,
      breached: 2,
      blocked: 1,
      fulfilledOutside: 1,
    });
  });

  it('puts long delays in the last bucket and subtracts as well as adds', () => {
    const long = contribution(facts({ loggingDelay: 45 }));
    expect(indicatorsOf(long).loggingDelayMedian).toBe(MAX_DELAY_BUCKET);
    const sum = addInto(addInto(emptyVector(), long), long, -1);
    expect(indicatorsOf(sum)).toMatchObject({ obligations: 0, loggingDelayMedian: null });
  });
});
