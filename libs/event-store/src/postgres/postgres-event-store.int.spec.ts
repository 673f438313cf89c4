import { Pool } from 'pg';
import { createTestDatabase, testServers } from '../../../../test/support/postgres';
import { migrate } from '@relais/database';
import { WrongExpectedVersionError } from '../event-store';
import { anEvent, eventStoreContract } from '../testing/event-store.contract';
import { eventStoreMigrations } from './event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';

describe.each(testServers())('PostgresEventStore on the $name server', (server) => {
  let pool: Pool;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase(server);
    drop = database.drop;
    pool = new Pool({ connectionString: database.url });
    await migrate(pool, eventStoreMigrations);
  });
  afterAll(async () => {
    await pool.end();
    await drop();
  });

  it('keeps the caller’s transaction usable when an append inside it is a retry or loses a race', async () => {
    const store = new PostgresEventStore(pool);
    const event = anEvent();
    await store.append('case-in-tx', [event]);
    const client = await pool.connect();
    try {
      await client.query('begin');
      const inside = store.within(client);
      await expect(inside.append('case-in-tx', [event])).resolves.toMatchObject({
        duplicate: true,
      });
      await expect(
        inside.append('case-in-tx', [anEvent()], { expectedVersion: 0 }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await inside.append('case-in-tx', [anEvent()], { expectedVersion: 1 });
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await store.streamVersion('case-in-tx')).toBe(2);
  });

  eventStoreContract(({ upcast }) =>
    Promise.resolve({
      store: new PostgresEventStore(pool, { upcast }),
      close: () => Promise.resolve(),
    }),
  );
});
