import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { Pool } from 'pg';
import { migrate } from '@relais/database';
import { kurrentDbTestTarget, notRunLine } from '../../../../test/support/kurrentdb';
import { createTestDatabase, testServer } from '../../../../test/support/postgres';
import { SeenEventsProcessor } from '../../../../test/support/seen-events.processor';
import { START } from '../event-store';
import { CommitNotifier } from '../postgres/commit-notifier';
import { eventStoreMigrations } from '../postgres/event-store.migrations';
import { ProcessorRunner } from '../postgres/processor';
import { anEvent, eventStoreContract } from '../testing/event-store.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const target = kurrentDbTestTarget();

/** Where testcontainers looks for a Docker engine first: any of them would have given it one. */
const dockerSockets = [
  '/var/run/docker.sock',
  join(homedir(), '.docker/run/docker.sock'),
  join(homedir(), '.docker/desktop/docker.sock'),
  ...(process.env.XDG_RUNTIME_DIR ? [join(process.env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
];

if (target.kind === 'none') {
  describe('KurrentDbEventStore', () => {
    // Not a skip: the one test says why the suite did not run, and fails if the reason is wrong.
    it(notRunLine(target.reason), () => {
      console.log(notRunLine(target.reason));
      expect(process.env.KURRENTDB_URL?.trim() ?? '').toBe('');
      expect(target.runtimeError).toEqual(expect.any(String));
      expect(process.env.DOCKER_HOST ?? '').toBe('');
      expect(dockerSockets.filter((socket) => existsSync(socket))).toEqual([]);
    });
  });
} else {
  const url = target.url;
  const where = target.kind === 'url' ? 'KURRENTDB_URL' : `a ${target.image} container`;

  describe(`KurrentDbEventStore on ${where}`, () => {
    eventStoreContract(
      ({ upcast }) => {
        const client = KurrentDBClient.connectionString(url);
        return Promise.resolve({
          store: new KurrentDbEventStore(client, upcast ? { upcast } : {}),
          close: () => client.dispose(),
        });
      },
      { eventIds: 'stream' },
    );

    describe('as a processor’s source, with its checkpoint in PostgreSQL', () => {
      let client: KurrentDBClient;
      let store: KurrentDbEventStore;
      let pool: Pool;
      let database: { url: string; drop(): Promise<void> };
      let notifier: CommitNotifier;
      /** A type no earlier run wrote: the server's $all may hold anything else. */
      const probe = `KurrentProbe${randomUUID().replace(/-/g, '')}`;

      beforeAll(async () => {
        client = KurrentDBClient.connectionString(url);
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
    });
  });
}
