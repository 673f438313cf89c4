import { PostgresEventStore } from '@relais/event-store';
import { Client } from 'pg';
import { apiOf, Call } from '../support/api';
import { networkHistory } from '../support/network-history';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

interface Status {
  projection: string;
  running: boolean;
  error: string | null;
  progress: { phase: string; processed: number; total: number; eventsPerSecond: number } | null;
}

describe('rebuilding the compliance read models', () => {
  let relais: TestRelais;
  let call: Call;
  let admin: string;
  let coordinator: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    admin = await relais.token('admin@relais.demo');
    coordinator = await relais.token('coordination@relais.demo');
  });
  afterAll(() => relais.close());

  const tables = ['compliance_obligations', 'compliance_monthly', 'compliance_cases'];
  const snapshot = async () => {
    const { pool } = relais.database;
    const rows: Record<string, string[]> = {};
    for (const table of tables) {
      const result = await pool.query<{ row: string }>(
        `select t::text as row from ${table} t order by 1`,
      );
      rows[table] = result.rows.map((r) => r.row);
    }
    return rows;
  };
  const oids = async () =>
    (
      await relais.database.pool.query<{ oid: number }>(
        `select oid from pg_class where relname = any($1::text[]) order by relname`,
        [tables],
      )
    ).rows.map((r) => r.oid);

  async function append(cases: number, seed: number): Promise<number> {
    const store = relais.app.get(PostgresEventStore);
    let written = 0;
    for (const { streamId, events, recordedAt } of networkHistory({
      cases,
      obligationsPerCase: 3,
      from: '2025-11-01',
      to: '2026-11-20',
      seed,
    })) {
      await store.append(streamId, events, { expectedVersion: 'no_stream', recordedAt });
      written += events.length;
    }
    return written;
  }

  /** Until the live projection has applied every event of the store. */
  async function caughtUp(): Promise<void> {
    await eventually(async () => {
      const { rows } = await relais.database.pool.query<{ behind: boolean }>(
        `select (select max(global_position) from events where type like 'Obligation%' or type = 'CaseOpened')
           > global_position as behind
         from processor_checkpoints where name = 'compliance'`,
      );
      return rows[0]?.behind === false;
    }, 30_000);
  }

  async function rebuilt(): Promise<Status> {
    let status: Status | undefined;
    await eventually(async () => {
      const list = await call<Status[]>('GET', '/api/v1/admin/projections', admin);
      status = list.body.find((s) => s.projection === 'compliance');
      return status?.running === false && status.progress?.phase === 'done';
    }, 60_000);
    return status as Status;
  }

  it('after 10,000 events gives tables identical to the live ones, swapped in while they keep serving', async () => {
    const written = await append(1100, 1);
    expect(written).toBeGreaterThanOrEqual(10_000);
    await caughtUp();
    const live = await snapshot();
    expect(live.compliance_obligations?.length).toBeGreaterThan(3000);
    const before = await oids();

    // Readers keep asking while the rebuild runs: every answer is a 200.
    let reading = true;
    const answers: number[] = [];
    const reader = (async () => {
      while (reading) {
        answers.push(
          (await call('GET', '/api/v1/compliance/summary?from=2025-11', coordinator)).status,
        );
      }
    })();
    const started = await call<Status>(
      'POST',
      '/api/v1/admin/projections/compliance/rebuild',
      admin,
    );
    expect(started.status).toBe(202);
    const status = await rebuilt();
    reading = false;
    await reader;

    expect(status.error).toBeNull();
    expect(status.progress?.processed).toBeGreaterThanOrEqual(written);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((s) => s === 200)).toBe(true);
    expect(await oids()).not.toEqual(before);
    expect(await snapshot()).toEqual(live);
  });

  it('keeps the live projection writing into the swapped tables, and rebuilds again to the same result', async () => {
    await append(100, 2);
    await caughtUp();
    const live = await snapshot();
    expect((await call('POST', '/api/v1/admin/projections/compliance/rebuild', admin)).status).toBe(
      202,
    );
    await rebuilt();
    expect(await snapshot()).toEqual(live);
  });

  it('refuses a second rebuild while one runs, an unknown read model, and anyone but an admin', async () => {
    const holder = new Client({ connectionString: relais.database.url });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(hashtext('relais-rebuild:compliance'))`);
      const busy = await call<{ code: string }>(
        'POST',
        '/api/v1/admin/projections/compliance/rebuild',
        admin,
      );
      expect([busy.status, busy.body.code]).toEqual([409, 'REBUILD_IN_PROGRESS']);
    } finally {
      await holder.end();
    }
    const unknown = await call<{ code: string }>(
      'POST',
      '/api/v1/admin/projections/nothing/rebuild',
      admin,
    );
    expect([unknown.status, unknown.body.code]).toEqual([404, 'PROJECTION_NOT_FOUND']);
    expect(
      (await call('POST', '/api/v1/admin/projections/compliance/rebuild', coordinator)).status,
    ).toBe(403);
  });
});
