import { migrate } from '@relais/database';
import { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/postgres';
import { LoginAttempt, LoginRateLimiter, loginRateLimitMigrations } from './login-rate-limiter';

const MINUTE = 60 * 1000;

describe('LoginRateLimiter on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  const pools: Pool[] = [];
  let now: number;

  /** Another api replica: its own pool on the same database. */
  const aReplica = (limits: { perAccount?: number; perAddress?: number } = {}) => {
    const pool = new Pool({ connectionString: url });
    pools.push(pool);
    return new LoginRateLimiter(pool, {
      perAccount: { maxAttempts: limits.perAccount ?? 5, windowMs: 15 * MINUTE },
      perAddress: { maxAttempts: limits.perAddress ?? 20, windowMs: 15 * MINUTE },
      now: () => new Date(now),
    });
  };

  beforeAll(async () => {
    const database = await createTestDatabase();
    url = database.url;
    drop = database.drop;
    const pool = new Pool({ connectionString: url });
    await migrate(pool, loginRateLimitMigrations);
    await pool.end();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await drop();
  });
  beforeEach(async () => {
    now = Date.parse('2026-11-20T09:00:00Z');
    const pool = new Pool({ connectionString: url });
    await pool.query('truncate login_attempts');
    await pool.end();
  });

  let n = 0;
  const from = (address: string, email = `person${++n}@cpas-namur.be`): LoginAttempt => ({
    email,
    address,
  });
  const failTimes = async (limiter: LoginRateLimiter, attempt: LoginAttempt, times: number) => {
    const decisions = [];
    for (let i = 0; i < times; i++) decisions.push(await limiter.attempt(attempt));
    return decisions;
  };

  it('allows five attempts at one account, then refuses until the window closes', async () => {
    const limiter = aReplica();
    const attempt = from('192.0.2.10');
    expect((await failTimes(limiter, attempt, 5)).every((d) => d.allowed)).toBe(true);
    expect(await limiter.attempt(attempt)).toEqual({ allowed: false, retryAfterSeconds: 900 });
    now += 10 * MINUTE + 500;
    expect(await limiter.attempt(attempt)).toEqual({ allowed: false, retryAfterSeconds: 300 });
    now += 5 * MINUTE;
    expect(await limiter.attempt(attempt)).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it('forgets an account’s failures once its password was right', async () => {
    const limiter = aReplica();
    const attempt = from('192.0.2.10');
    await failTimes(limiter, attempt, 4);
    await limiter.succeeded(attempt);
    expect((await failTimes(limiter, attempt, 5)).every((d) => d.allowed)).toBe(true);
    expect((await limiter.attempt(attempt)).allowed).toBe(false);
  });

  it('refuses an address that tried too many accounts, but not another address', async () => {
    const limiter = aReplica({ perAddress: 20 });
    const sprayed = [];
    for (let i = 0; i < 30; i++) sprayed.push(await limiter.attempt(from('192.0.2.66')));
    expect(sprayed.map((d) => d.allowed)).toEqual([
      ...Array<boolean>(20).fill(true),
      ...Array<boolean>(10).fill(false),
    ]);
    expect(sprayed[20]).toEqual({ allowed: false, retryAfterSeconds: 900 });
    expect((await limiter.attempt(from('192.0.2.67'))).allowed).toBe(true);
  });

  it('does not count an address’s successful sign-ins against it', async () => {
    const limiter = aReplica({ perAddress: 3 });
    for (let i = 0; i < 10; i++) {
      const attempt = from('198.51.100.7');
      expect((await limiter.attempt(attempt)).allowed).toBe(true);
      await limiter.succeeded(attempt);
    }
  });

  it('shares its counts between replicas on one database', async () => {
    const [first, second] = [aReplica({ perAddress: 20 }), aReplica({ perAddress: 20 })];
    const attempt = from('203.0.113.9', 'chef@cpas-ciney.demo');
    await failTimes(first, attempt, 3);
    await failTimes(second, attempt, 2);
    expect((await first.attempt(attempt)).allowed).toBe(false);
    expect((await second.attempt(attempt)).allowed).toBe(false);
    for (let i = 0; i < 13; i++) await (i % 2 ? first : second).attempt(from('203.0.113.9'));
    // 20 attempts from that address so far, across both replicas: the next is one too many.
    expect((await second.attempt(from('203.0.113.9'))).allowed).toBe(false);
  });

  it('lets no attempt slip past the limit when they race', async () => {
    const replicas = [aReplica({ perAddress: 20 }), aReplica({ perAddress: 20 })];
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) => replicas[i % 2]!.attempt(from('192.0.2.99'))),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
  });

  it('keeps no e-mail or address in the table, and deletes closed windows', async () => {
    const limiter = aReplica();
    await limiter.attempt(from('192.0.2.10', 'anne.dupont@cpas-namur.be'));
    const pool = new Pool({ connectionString: url });
    try {
      const { rows } = await pool.query<{ key: Buffer }>('select key from login_attempts');
      expect(rows).toHaveLength(2);
      for (const { key } of rows) {
        expect(key.toString('latin1')).not.toMatch(/anne|192\.0\.2/);
      }
      now += 16 * MINUTE;
      await aReplica().attempt(from('192.0.2.11'));
      expect((await pool.query('select 1 from login_attempts')).rows).toHaveLength(2);
    } finally {
      await pool.end();
    }
  });

  it('refuses nonsensical limits', () => {
    expect(
      () =>
        new LoginRateLimiter(new Pool(), {
          perAddress: { maxAttempts: 0, windowMs: MINUTE },
        }),
    ).toThrow(/perAddress.maxAttempts/);
  });
});
