import { LoginRateLimiter } from './login-rate-limiter';

const MINUTE = 60 * 1000;

function aLimiter(options: { maxKeys?: number } = {}) {
  const clock = { now: Date.parse('2025-03-03T08:00:00Z') };
  const limiter = new LoginRateLimiter({
    maxAttempts: 5,
    windowMs: 15 * MINUTE,
    now: () => clock.now,
    ...options,
  });
  return { limiter, clock };
}

function failTimes(limiter: LoginRateLimiter, key: string, times: number): void {
  for (let i = 0; i < times; i += 1) limiter.recordFailure(key);
}

const key = 'anne.dupont@cpas-namur.be|192.0.2.10';

describe('LoginRateLimiter', () => {
  it('allows a key with no failures', () => {
    const { limiter } = aLimiter();

    expect(limiter.check(key)).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('allows five failures, then blocks until the window closes', () => {
    const { limiter } = aLimiter();

    failTimes(limiter, key, 4);
    expect(limiter.check(key)).toEqual({ allowed: true, retryAfterSeconds: 0 });

    limiter.recordFailure(key);
    expect(limiter.check(key)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 });
  });

  it('counts the wait down as the clock moves', () => {
    const { limiter, clock } = aLimiter();
    failTimes(limiter, key, 5);

    clock.now += 10 * MINUTE + 500;

    expect(limiter.check(key)).toEqual({ allowed: false, retryAfterSeconds: 5 * 60 });
  });

  it('allows the key again once the window has passed', () => {
    const { limiter, clock } = aLimiter();
    failTimes(limiter, key, 5);

    clock.now += 15 * MINUTE;

    expect(limiter.check(key)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    failTimes(limiter, key, 4);
    expect(limiter.check(key).allowed).toBe(true);
  });

  it('forgets the failures after a successful login', () => {
    const { limiter } = aLimiter();
    failTimes(limiter, key, 4);

    limiter.reset(key);

    failTimes(limiter, key, 4);
    expect(limiter.check(key)).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('counts each key on its own', () => {
    const { limiter } = aLimiter();

    failTimes(limiter, key, 5);

    expect(limiter.check(key).allowed).toBe(false);
    expect(limiter.check('marc.lambert@cpas-namur.be|192.0.2.10').allowed).toBe(true);
  });

  it('drops expired entries, so memory does not grow with old failures', () => {
    const { limiter, clock } = aLimiter();
    for (let i = 0; i < 50; i += 1) limiter.recordFailure(`user${i}@example.org|192.0.2.${i}`);
    expect(limiter.size).toBe(50);

    clock.now += 15 * MINUTE;
    limiter.recordFailure(key);

    expect(limiter.size).toBe(1);
  });

  it('never tracks more keys than its bound, forgetting the oldest first', () => {
    const { limiter } = aLimiter({ maxKeys: 3 });
    failTimes(limiter, 'first', 5);

    for (const other of ['second', 'third', 'fourth']) limiter.recordFailure(other);

    expect(limiter.size).toBe(3);
    expect(limiter.check('first').allowed).toBe(true);
  });

  it('refuses nonsensical limits', () => {
    expect(() => new LoginRateLimiter({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
