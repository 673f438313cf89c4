import { Pool } from 'pg';
import { migrate } from '@relais/database';
import { createTestDatabase, testServers } from '../../../../test/support/postgres';
import { RecordedEvent, WrongExpectedVersionError } from '../event-store';
import { anEvent } from '../testing/event-store.contract';
import { CommitNotifier } from './commit-notifier';
import { eventStoreMigrations } from './event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';
import { Subscription } from './subscription';

describe.each(testServers())('commit order and concurrency on the $name server', (server) => {
  let pool: Pool;
  let url: string;
  let drop: () => Promise<void>;
  let store: PostgresEventStore;
  let notifier: CommitNotifier;

  beforeAll(async () => {
    const database = await createTestDatabase(server);
    ({ url, drop } = database);
    pool = new Pool({ connectionString: url, max: 60 });
    await migrate(pool, eventStoreMigrations);
    store = new PostgresEventStore(pool);
    notifier = new CommitNotifier({ connectionString: url });
    await notifier.start();
  });
  afterAll(async () => {
    await notifier.stop();
    await pool.end();
    await drop();
  });

  /** Collects what a live subscriber delivers, from the current end of the store. */
  async function liveSubscriber() {
    let from = (await store.readAll({ maxCount: 1_000_000 })).checkpoint;
    for (
      let page = await store.readAll({ after: from });
      page.events.length > 0;
      page = await store.readAll({ after: from })
    ) {
      from = page.checkpoint;
    }
    const delivered: RecordedEvent[] = [];
    const subscription = new Subscription(store, notifier, {
      from,
      pollIntervalMs: 50,
      onEvents: (events) => {
        delivered.push(...events);
      },
    });
    const until = async (count: number, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (delivered.length < count && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
    };
    return { delivered, subscription, until };
  }

  it('delivers an event committed late by a slow transaction, exactly once', async () => {
    const live = await liveSubscriber();
    const slow = await pool.connect();
    try {
      await slow.query('begin');
      const late = anEvent({ type: 'Late' });
      await store.within(slow).append('case-slow', [late]);

      const fast = Array.from({ length: 5 }, (_, i) => anEvent({ type: 'Fast', data: { i } }));
      for (const event of fast) await store.append(`case-fast-${event.eventId}`, [event]);

      // The fast events have higher global positions than the late one, but may not be read past it.
      await new Promise((r) => setTimeout(r, 300));
      expect(live.delivered).toEqual([]);

      await slow.query('commit');
      await live.until(6);
      await new Promise((r) => setTimeout(r, 200));
      const ids = live.delivered.map((e) => e.eventId);
      expect(ids).toEqual([late.eventId, ...fast.map((e) => e.eventId)]);
      expect(new Set(ids).size).toBe(6);
    } finally {
      slow.release();
      await live.subscription.stop();
    }
  });

  it('reads transaction ids in numeric order across a power of ten (9999 before 10000)', async () => {
    const live = await liveSubscriber();
    try {
      const { rows } = await pool.query<{ xid: string }>(
        'select pg_current_xact_id()::text as xid',
      );
      const current = Number(rows[0]?.xid);
      const boundary = 10 ** String(current + 50).length;
      // On a server that has lived (CI's second pass), the next power of ten may be tens of
      // thousands of transactions away: burnt without waiting for the disk at each commit.
      const burner = await pool.connect();
      try {
        await burner.query('set synchronous_commit to off');
        await burner.query(`do $$ begin for i in 1..${boundary - current - 20} loop
          perform pg_current_xact_id(); commit; end loop; end $$`);
      } finally {
        burner.release();
      }
      const appended = [];
      for (let i = 0; i < 40; i++) {
        const event = anEvent({ data: { i } });
        await store.append(`case-boundary-${event.eventId}`, [event]);
        appended.push(event.eventId);
      }
      await live.until(40);
      expect(live.delivered.map((e) => e.eventId)).toEqual(appended);
      expect(live.delivered[0]!.transactionId).toBeLessThan(boundary);
      expect(live.delivered[39]!.transactionId).toBeGreaterThanOrEqual(boundary);
    } finally {
      await live.subscription.stop();
    }
  }, 120_000);

  it("wakes another process's readers when appends commit", async () => {
    const other = new CommitNotifier({ connectionString: url });
    await other.start();
    try {
      const since = other.generation;
      const woken = other.wait(10_000, undefined, since);
      const started = Date.now();
      notifier.signal();
      await woken;
      expect(other.generation).toBeGreaterThan(since);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await other.stop();
    }
  });

  it('lets exactly one of 50 concurrent appends at the same expected version win', async () => {
    const streamId = `case-race-${Date.now()}`;
    await store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => store.append(streamId, [anEvent()], { expectedVersion: 1 })),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const failure of lost) expect(failure.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.streamVersion(streamId)).toBe(2);
  });

  it('lets exactly one of 50 concurrent creations of the same stream win', async () => {
    const streamId = `case-new-${Date.now()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        store.append(streamId, [anEvent()], { expectedVersion: 'no_stream' }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('delivers every event of 20 concurrent writers exactly once, in commit order and stream order', async () => {
    const live = await liveSubscriber();
    const writers = 20;
    const perWriter = 25;
    const run = `${Date.now()}`;
    try {
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < perWriter; i++) {
            await store.append(`writer-${run}-${w}`, [anEvent({ data: { w, i } })], {
              expectedVersion: i,
            });
          }
        }),
      );
      await live.until(writers * perWriter);
      await new Promise((r) => setTimeout(r, 200));
      const { delivered } = live;
      expect(delivered).toHaveLength(writers * perWriter);
      expect(new Set(delivered.map((e) => e.globalPosition)).size).toBe(writers * perWriter);
      const keys = delivered.map((e) => [e.transactionId, e.globalPosition] as const);
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(keys).toEqual(sorted);
      for (let w = 0; w < writers; w++) {
        const positions = delivered
          .filter((e) => e.streamId === `writer-${run}-${w}`)
          .map((e) => e.streamPosition);
        expect(positions).toEqual(Array.from({ length: perWriter }, (_, i) => i + 1));
      }
    } finally {
      await live.subscription.stop();
    }
  });

  it('keeps stream order in commit order under contention on one stream', async () => {
    const live = await liveSubscriber();
    const streamId = `case-hot-${Date.now()}`;
    try {
      await Promise.all(
        Array.from({ length: 100 }, () =>
          store.append(streamId, [anEvent()], { expectedVersion: 'any' }),
        ),
      );
      await live.until(100);
      const positions = live.delivered
        .filter((e) => e.streamId === streamId)
        .map((e) => e.streamPosition);
      expect(positions).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    } finally {
      await live.subscription.stop();
    }
  });
});
