import { Migration } from '@relais/database';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';

/**
 * Sign-in attempts counted in PostgreSQL, so every api replica counts the same ones. Keys are
 * SHA-256 digests: the table lists no e-mail or network address, and forgets a key once its
 * window has closed.
 */
export const loginRateLimitMigrations: readonly Migration[] = [
  {
    id: '0310_login_attempts',
    sql: `create table login_attempts (
      key bytea primary key,
      attempts integer not null,
      expires_at timestamptz not null);
    create index login_attempts_expiry on login_attempts (expires_at);`,
  },
];

export interface LoginLimit {
  readonly maxAttempts: number;
  readonly windowMs: number;
}

export interface LoginRateLimiterOptions {
  /** One account from one address: someone guessing, or who forgot. */
  readonly perAccount?: LoginLimit;
  /** One address, whichever the accounts: a password sprayed over many of them. */
  readonly perAddress?: LoginLimit;
  readonly now?: () => Date;
}

export interface LoginAttempt {
  readonly email: string;
  /** The client's network address. */
  readonly address: string;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** 0 when allowed; otherwise the seconds until the next attempt is accepted. */
  readonly retryAfterSeconds: number;
}

const MINUTE = 60 * 1000;

/** Five wrong passwords for one account, or twenty from one address, then a quarter of an hour's wait. */
export const DEFAULT_LOGIN_LIMITS = {
  perAccount: { maxAttempts: 5, windowMs: 15 * MINUTE },
  perAddress: { maxAttempts: 20, windowMs: 15 * MINUTE },
} as const;

/**
 * Fixed windows opened by the first failed attempt, one per account and address and one per
 * address. Each attempt is counted before its password is checked, in one statement: attempts
 * racing in parallel get a count each, so none slips past the limit. A successful one is given
 * back (and clears its account's count); the failed ones stay until the window closes.
 */
export class LoginRateLimiter {
  private readonly perAccount: LoginLimit;
  private readonly perAddress: LoginLimit;
  private readonly now: () => Date;
  private nextPruneAt = 0;

  constructor(
    private readonly pool: Pool,
    options: LoginRateLimiterOptions = {},
  ) {
    this.perAccount = checked(options.perAccount ?? DEFAULT_LOGIN_LIMITS.perAccount, 'perAccount');
    this.perAddress = checked(options.perAddress ?? DEFAULT_LOGIN_LIMITS.perAddress, 'perAddress');
    this.now = options.now ?? (() => new Date());
  }

  /** Counts the attempt; refused when it is one too many for its account or its address. */
  async attempt(attempt: LoginAttempt): Promise<RateLimitDecision> {
    const now = this.now();
    await this.pruneIfDue(now);
    const keys = this.keysOf(attempt);
    const { rows } = await this.pool.query<{ key: Buffer; attempts: number; expires_at: Date }>(
      `insert into login_attempts as a (key, attempts, expires_at)
       select key, 1, expires_at from unnest($1::bytea[], $2::timestamptz[]) as k (key, expires_at)
       on conflict (key) do update set
         attempts = case when a.expires_at <= $3 then 1 else a.attempts + 1 end,
         expires_at = case when a.expires_at <= $3 then excluded.expires_at else a.expires_at end
       returning key, attempts, expires_at`,
      [keys.map((k) => k.key), keys.map((k) => new Date(now.getTime() + k.limit.windowMs)), now],
    );
    let waitMs = 0;
    for (const row of rows) {
      const limit = keys.find((k) => k.key.equals(row.key))?.limit;
      if (limit && row.attempts > limit.maxAttempts) {
        waitMs = Math.max(waitMs, row.expires_at.getTime() - now.getTime());
      }
    }
    return waitMs === 0
      ? { allowed: true, retryAfterSeconds: 0 }
      : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** The password was right: the account's count is cleared, and the address's attempt given back. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    const [account, address] = this.keysOf(attempt);
    await this.pool.query(
      `with cleared as (delete from login_attempts where key = $1)
       update login_attempts set attempts = greatest(attempts - 1, 0)
       where key = $2 and expires_at > $3`,
      [account?.key, address?.key, this.now()],
    );
  }

  private keysOf({ email, address }: LoginAttempt): { key: Buffer; limit: LoginLimit }[] {
    return [
      { key: digest(`account:${email.trim().toLowerCase()}|${address}`), limit: this.perAccount },
      { key: digest(`address:${address}`), limit: this.perAddress },
    ];
  }

  /** Closed windows are deleted now and then, by whichever replica comes first. */
  private async pruneIfDue(now: Date): Promise<void> {
    if (now.getTime() < this.nextPruneAt) return;
    this.nextPruneAt = now.getTime() + MINUTE;
    await this.pool.query('delete from login_attempts where expires_at <= $1', [now]);
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function checked(limit: LoginLimit, name: string): LoginLimit {
  for (const [field, value] of Object.entries(limit)) {
    if (!Number.isInteger(value) || (value as number) <= 0) {
      throw new RangeError(
        `LoginRateLimiter ${name}.${field} must be a positive whole number, got ${String(value)}`,
      );
    }
  }
  return limit;
}
