import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { eventually } from '../support/relais-app';
import {
  embeddedClient,
  isAlive,
  killRelaisProcesses,
  postmaster,
  startRelaisProcess,
} from '../support/relais-process';

jest.setTimeout(90_000);

const subjectIds = async (client: Client) =>
  (await client.query<{ id: string }>('select subject_id as id from subject_keys')).rows.map(
    (r) => r.id,
  );

/**
 * Opening a case writes the family to the vault, then appends the case's first event. A process
 * killed between the two left personal data that no case refers to: the worker erases such
 * subjects once they are older than the grace period, and never one a case refers to.
 */
describe('personal data no case refers to', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relais-orphans-'));
  });
  afterEach(async () => {
    killRelaisProcesses();
    const left = await postmaster(join(dataDir, 'pg'));
    if (left && isAlive(left.pid)) process.kill(left.pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is erased after a kill -9 between the vault write and the append', async () => {
    const first = startRelaisProcess({ RELAIS_DATA_DIR: dataDir });
    const url = await first.listening;
    const signIn = await fetch(`${url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'as@cpas-ciney.demo', password: 'relais-demo' }),
    });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const locker = await embeddedClient(dataDir);
    locker.on('error', () => undefined); // the server goes when the test ends
    const before = await subjectIds(locker);
    expect(before.length).toBeGreaterThan(0); // the demo's families

    // SHARE mode lets the handler read the stream but holds its insert: the case is caught
    // after its family entered the vault and before its event is written.
    await locker.query('begin');
    await locker.query('lock table events in share mode');
    void fetch(`${url}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        occurredOn: '2026-11-02',
        residenceCommune: '91030',
        legalBasis: 'legal_obligation',
        familyMembers: [{ role: 'parent', firstName: 'Orpheline', lastName: 'Interrompue' }],
      }),
    }).catch(() => undefined);
    let orphan: string | undefined;
    await eventually(async () => {
      orphan = (await subjectIds(locker)).find((id) => !before.includes(id));
      return orphan !== undefined;
    });
    first.child.kill('SIGKILL');
    await first.exited;
    // Its connections die with it, as in a crash of the machine: the held insert never runs.
    await locker.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where application_name = 'relais' and pid <> pg_backend_pid()`,
    );
    await locker.query('rollback');
    const referring = await locker.query(
      `select 1 from events where data::text like '%' || $1 || '%'`,
      [orphan],
    );
    expect(referring.rowCount).toBe(0);
    await locker.end();

    const second = startRelaisProcess({
      RELAIS_DATA_DIR: dataDir,
      RELAIS_VAULT_ORPHAN_GRACE_SECONDS: '1',
    });
    await second.listening;
    const client = await embeddedClient(dataDir);
    try {
      // Erased (its key epoch rotated away), then no longer pending.
      await eventually(
        async () =>
          !(await subjectIds(client)).includes(orphan as string) &&
          (await client.query('select 1 from vault_unconfirmed_subjects')).rowCount === 0,
        20_000,
      );
      expect((await subjectIds(client)).sort()).toEqual([...before].sort());
    } finally {
      await client.end();
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});
