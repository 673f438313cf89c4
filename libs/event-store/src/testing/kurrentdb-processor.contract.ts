import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { migrate } from '@relais/database';
import { createTestDatabase, testServer } from '../../../../test/support/postgres';
import { SeenEventsProcessor } from '../../../../test/support/seen-events.processor';
import { START } from '../event-store';
import { KurrentDbConnection, KurrentDbEventStore } from '../kurrentdb/kurrentdb-event-store';
import { CommitNotifier } from '../postgres/commit-notifier';
import { eventStoreMigrations } from '../postgres/event-store.migrations';
import { ProcessorRunner } from '../postgres/processor';
import { anEvent } from './event-store.contract';

/**
 * A processor on KurrentDB, as the worker runs it: events read from KurrentDB by type, its
 * checkpoint and its read model's rows in PostgreSQL, in one transaction.
 */
export function processorOnKurrentDb(connect: () => KurrentDbConnection): void {
  let client: KurrentDbConnection;
  let store: KurrentDbEventStore;
  let pool: Pool;
  let database: { url: string; drop(): Promise<void> };
  let notifier: CommitNotifier;
  /** A type no earlier run wrote: the server's $all may hold anything else. */
  const probe = `KurrentProbe${randomUUID().replace(/-/g, '')}`;

  beforeAll(async () => {
    client = connect();
    database = await createTestDatabase(testServer());
    pool = new Pool({ connectionString: database.url });
    await migrate(pool, eventStoreMigrations);
    await SeenEventsProcessor.createTable(pool);
    notifier = new CommitNotifier({ connectionString: database.url });
    await notifier.start();
    store = new KurrentDbEventStore(client, { afterAppend: () => notifier.signal() });
  });
  afterAll(async () => {
    await notifier.stop();
    await pool.end();
    await database.drop();
    await client.dispose();
  });

  const runner = (name: string) =>
    new ProcessorRunner(new SeenEventsProcessor(name, 'kurrentdb', [probe]), {
      connection: { connectionString: database.url },
      notifier,
      store,
      pollIntervalMs: 100,
      lockRetryMs: 100,
      batchSize: 3,
    });

  async function seen(name: string): Promise<string[]> {
    const { rows } = await pool.query<{ event_id: string }>(
      'select event_id from seen_events where processor = $1 order by global_position',
      [name],
    );
    return rows.map((row) => row.event_id);
  }

  async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean) {
    const deadline = Date.now() + 20_000;
    let value = await read();
    while (!accept(value) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await read();
    }
    return value;
  }

  it('applies each event of its types once, in log order, and resumes where it stopped', async () => {
    const mine = Array.from({ length: 5 }, () => anEvent({ type: probe }));
    const stream = `case-${randomUUID()}`;
    await store.append(stream, [mine[0]!, anEvent(), mine[1]!]);
    await store.append(`case-${randomUUID()}`, [anEvent(), mine[2]!]);
    const first = runner('kurrent-probe');
    first.start();
    const ids = mine.map((e) => e.eventId);
    expect(
      await eventually(
        () => seen('kurrent-probe'),
        (s) => s.length === 3,
      ),
    ).toEqual(ids.slice(0, 3));
    await first.stop();

    await store.append(stream, [mine[3]!, anEvent(), mine[4]!]);
    const second = runner('kurrent-probe');
    second.start();
    try {
      // A reapplied event would break seen_events' primary key and fail the batch.
      expect(
        await eventually(
          () => seen('kurrent-probe'),
          (s) => s.length === 5,
        ),
      ).toEqual(ids);
      expect(second.status()).toMatchObject({ state: 'active', lastError: undefined });
    } finally {
      await second.stop();
    }
  });

  it('moves a filtered read’s checkpoint past the events of other types it scanned', async () => {
    const rare = `${probe}Rare`;
    const others = await store.append(`case-${randomUUID()}`, [anEvent(), anEvent()]);
    const scanned = await store.readAllOfTypes({
      after: START,
      maxCount: 10,
      eventTypes: [rare],
    });
    expect(scanned.events).toEqual([]);
    expect(scanned.checkpoint.globalPosition).toBeGreaterThanOrEqual(
      others.positions[1]?.globalPosition ?? Infinity,
    );
    const mine = anEvent({ type: rare });
    await store.append(`case-${randomUUID()}`, [anEvent(), mine]);
    const next = await store.readAllOfTypes({
      after: scanned.checkpoint,
      maxCount: 10,
      eventTypes: [rare],
    });
    expect(next.events.map((e) => e.eventId)).toEqual([mine.eventId]);
  });
}
