import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../support/postgres';
import {
  embeddedClient,
  isAlive,
  postmaster,
  removeDataFolder,
  runRelaisCli,
  startRelaisProcess,
} from '../support/relais-process';

jest.setTimeout(60_000);

async function waitUntilGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !isAlive(pid);
}

describe('npm start on the embedded PostgreSQL', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relais-e2e-'));
  });
  afterEach(() => removeDataFolder(dataDir));

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'starts a real server, answers health checks, and leaves no postgres behind on %s',
    async (signal) => {
      const relais = startRelaisProcess({ RELAIS_DATA_DIR: dataDir });
      const url = await relais.listening;
      const server = await postmaster(join(dataDir, 'pg'));
      expect(server && isAlive(server.pid)).toBe(true);

      const live = await fetch(`${url}/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        database: 'up',
        pendingMigrations: [],
      });
      // Events committed right after the seed may wait a few milliseconds behind the barrier.
      const health = (await (await fetch(`${url}/health/ready`)).json()) as {
        readBarrierAgeMs: number;
      };
      expect(health.readBarrierAgeMs).toBeLessThan(5000);

      relais.child.kill(signal);
      expect(await relais.exited).toEqual({ code: 0, signal: null });
      expect(await waitUntilGone(server?.pid ?? -1)).toBe(true);
      expect(await postmaster(join(dataDir, 'pg'))).toBeUndefined();
    },
  );

  it('reuses its data folder on the next start, its vault key moved out of it to the keyring', async () => {
    const vaultKey = `${randomBytes(32).toString('base64')}\n`;
    await writeFile(join(dataDir, 'vault.key'), vaultKey, { mode: 0o600 }); // an earlier version's
    const first = startRelaisProcess({ RELAIS_DATA_DIR: dataDir });
    await first.listening;
    await expect(stat(join(dataDir, 'vault.key'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(`${dataDir}-keys`, 'vault.key'), 'utf8')).toBe(vaultKey);
    const client = await embeddedClient(dataDir);
    await client.query(`insert into events (stream_id, stream_position, event_id, type, data)
      values ('keep-me', 1, gen_random_uuid(), 'Kept', '{}')`);
    await client.end();
    first.child.kill('SIGTERM');
    await first.exited;

    const second = startRelaisProcess({ RELAIS_DATA_DIR: dataDir });
    await second.listening;
    const again = await embeddedClient(dataDir);
    const { rows } = await again.query("select type from events where stream_id = 'keep-me'");
    await again.end();
    expect(rows).toEqual([{ type: 'Kept' }]);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('stops a server orphaned by a killed process before starting again', async () => {
    const killed = startRelaisProcess({ RELAIS_DATA_DIR: dataDir });
    await killed.listening;
    const orphan = await postmaster(join(dataDir, 'pg'));
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(orphan && isAlive(orphan.pid)).toBe(true);

    const next = startRelaisProcess({ RELAIS_DATA_DIR: dataDir });
    const url = await next.listening;
    expect(next.output()).toContain(`stopping PostgreSQL ${orphan?.pid} left running`);
    expect(isAlive(orphan?.pid ?? -1)).toBe(false);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    next.child.kill('SIGTERM');
    expect((await next.exited).code).toBe(0);
  });

  it('lets a CLI command share the server of a running Relais, which keeps serving', async () => {
    const running = startRelaisProcess({ RELAIS_DATA_DIR: dataDir });
    const url = await running.listening;
    const server = await postmaster(join(dataDir, 'pg'));
    const { stdout, code } = await runRelaisCli(['projections', 'rebuild', 'compliance'], {
      RELAIS_DATA_DIR: dataDir,
    });
    expect([code, stdout]).toEqual([0, expect.stringContaining('compliance: rebuilt and swapped')]);
    expect(stdout).toMatch(/compliance: catching up, [\d,]+ \/ [\d,]+ events, [\d,]+ events\/s/);
    expect(await postmaster(join(dataDir, 'pg'))).toEqual(server);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
  });

  it('stops at start-up with a message naming a bad variable', async () => {
    const relais = startRelaisProcess({ RELAIS_DATA_DIR: dataDir, PORT: 'eighty' });
    expect((await relais.exited).code).toBe(78);
    expect(relais.output()).toContain(
      'Invalid configuration: PORT must be a whole number, got "eighty"',
    );
    expect(await postmaster(join(dataDir, 'pg'))).toBeUndefined();
  });

  it('stops at start-up when KurrentDB is asked for without its URL', async () => {
    const relais = startRelaisProcess({
      RELAIS_DATA_DIR: dataDir,
      RELAIS_EVENT_STORE: 'kurrentdb',
    });
    expect((await relais.exited).code).toBe(78);
    expect(relais.output()).toContain(
      'Invalid configuration: KURRENTDB_URL must be set when RELAIS_EVENT_STORE is kurrentdb',
    );
    expect(await postmaster(join(dataDir, 'pg'))).toBeUndefined();
  });

  it('uses the server in DATABASE_URL instead, and starts no embedded one', async () => {
    const database = await createTestDatabase();
    try {
      const relais = startRelaisProcess({
        RELAIS_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        RELAIS_VAULT_KEY: randomBytes(32).toString('base64'),
        RELAIS_VAULT_KEYRING: `${dataDir}-keys`,
        RELAIS_TOKEN_SECRET: randomBytes(32).toString('hex'),
      });
      const url = await relais.listening;
      expect(await (await fetch(`${url}/health/ready`)).json()).toMatchObject({ status: 'ready' });
      await expect(stat(join(dataDir, 'pg'))).rejects.toThrow();
      relais.child.kill('SIGTERM');
      expect((await relais.exited).code).toBe(0);
    } finally {
      await database.drop();
    }
  });
});
