import { Pool } from 'pg';
import { createTestDatabase, testServers } from '../../../../test/support/postgres';
import { migrate } from '@relais/database';
import { eventStoreContract } from '../testing/event-store.contract';
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

  eventStoreContract(({ upcast }) =>
    Promise.resolve({
      store: new PostgresEventStore(pool, { upcast }),
      close: () => Promise.resolve(),
    }),
  );
});
