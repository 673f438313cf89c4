export interface LoginRateLimiterOptions {
  readonly maxAttempts?: number;
  readonly windowMs?: number;
  /** Beyond this many tracked keys, the oldest are forgotten first. */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** 0 when allowed; otherwise the seconds until the next attempt is accepted. */
  readonly retryAfterSeconds: number;
}

interface Failures {
  readonly windowStart: number;
  count: number;
}

/**
 * Counts failed logins per key in a fixed window opened by the first failure. In memory: each api
 * replica counts on its own. Keep one limiter per key kind, e.g. `${email}|${ip}` with a small
 * limit and the bare ip with a larger one (an office behind one address has many workers).
 */
export class LoginRateLimiter {
  private readonly maxAttempts: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly failures = new Map<string, Failures>();
  private nextPruneAt: number;

  constructor(options: LoginRateLimiterOptions = {}) {
    this.maxAttempts = positiveInteger(options.maxAttempts ?? 5, 'maxAttempts');
    this.windowMs = positiveInteger(options.windowMs ?? 15 * 60 * 1000, 'windowMs');
    this.maxKeys = positiveInteger(options.maxKeys ?? 100_000, 'maxKeys');
    this.now = options.now ?? Date.now;
    this.nextPruneAt = this.now() + this.windowMs;
  }

  check(key: string): RateLimitDecision {
    const entry = this.current(key, this.now());
    if (entry === undefined || entry.count < this.maxAttempts) {
      return { allowed: true, retryAfterSeconds: 0 };
    }
    const waitMs = entry.windowStart + this.windowMs - this.now();
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  recordFailure(key: string): void {
    const now = this.now();
    this.pruneIfDue(now);
    const entry = this.current(key, now);
    if (entry !== undefined) {
      entry.count += 1;
      return;
    }
    this.failures.set(key, { windowStart: now, count: 1 });
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next();
      if (oldest.done === true) break;
      this.failures.delete(oldest.value);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  /** Keys currently tracked; exposed so memory stays observable. */
  get size(): number {
    return this.failures.size;
  }

  private current(key: string, now: number): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.windowStart >= this.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private pruneIfDue(now: number): void {
    if (now < this.nextPruneAt) return;
    this.nextPruneAt = now + this.windowMs;
    for (const [key, entry] of this.failures) {
      if (now - entry.windowStart >= this.windowMs) this.failures.delete(key);
    }
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`LoginRateLimiter ${name} must be a positive whole number, got ${value}`);
  }
  return value;
}
