import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Database } from '@relais/database';
import { relaisMigrations } from '@relais/platform';

export interface TestServer {
  readonly name: 'embedded' | 'DATABASE_URL';
  /** A database on the server that tests may connect to for administration. */
  readonly adminUrl: string;
}

/** The embedded server always; the server in DATABASE_URL too when it is set. */
export function testServers(): TestServer[] {
  const embedded = process.env.RELAIS_TEST_EMBEDDED_URL;
  if (!embedded)
    throw new Error('RELAIS_TEST_EMBEDDED_URL is unset: run the tests through jest (global setup)');
  const servers: TestServer[] = [{ name: 'embedded', adminUrl: embedded }];
  if (process.env.DATABASE_URL)
    servers.push({ name: 'DATABASE_URL', adminUrl: process.env.DATABASE_URL });
  return servers;
}

/** The server for tests that need just one: DATABASE_URL when set, else the embedded one. */
export function testServer(): TestServer {
  const servers = testServers();
  return servers[servers.length - 1] as TestServer;
}

/** A fresh, empty database on the server. */
export async function createTestDatabase(
  server: TestServer = testServer(),
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `relais_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    /**
     * Drops the database unless a connection is still open on it: terminating one would make its
     * owner emit an error after the test ended. Such a database goes with the throw-away server.
     */
    drop: async () => {
      const client = new Client({ connectionString: server.adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name}`);
      } catch (error) {
        if ((error as { code?: string }).code !== '55006') throw error; // object_in_use
      } finally {
        await client.end();
      }
    },
  };
}

/** A fresh database with Relais's schema, opened like the app opens it; `close` drops it. */
export async function openTestDatabase(
  server: TestServer = testServer(),
): Promise<Database & { dropAndClose(): Promise<void> }> {
  const created = await createTestDatabase(server);
  const database = await Database.open({
    url: created.url,
    dataDir: '',
    migrations: relaisMigrations,
  });
  return Object.assign(database, {
    dropAndClose: async () => {
      await database.close();
      await created.drop();
    },
  });
}
