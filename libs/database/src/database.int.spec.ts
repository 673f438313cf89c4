import { Client } from 'pg';
import { createTestDatabase } from '../../../test/support/postgres';
import { Database, inTransaction } from './database';

describe('Database', () => {
  it('survives a connection lost while a transaction holds it: the transaction fails, the process goes on', async () => {
    const test = await createTestDatabase();
    const database = await Database.open({ url: test.url, dataDir: '', migrations: [] });
    const admin = new Client({ connectionString: test.url });
    await admin.connect();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      const outcome = inTransaction(database.pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        // The server ends this connection while no query of ours is running on it.
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await client.query('select 1');
      });
      await expect(outcome).rejects.toThrow();
      expect(uncaught).toEqual([]);
      // The broken connection left the pool: the next transaction gets a good one.
      await expect(
        inTransaction(database.pool, (c) => c.query('select 1 as one')),
      ).resolves.toMatchObject({
        rows: [{ one: 1 }],
      });
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      for (const listener of listeners) process.on('uncaughtException', listener);
      await admin.end();
      await database.close();
      await test.drop();
    }
  });
});
