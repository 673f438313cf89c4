import { randomBytes } from 'node:crypto';
import { migrate } from '@relais/database';
import { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/postgres';
import { AccessChain, AccessEntry } from './access-chain';
import { AccessLog } from './access-log';
import { accessLogMigrations } from './access-log.migrations';

const MASTER_KEY = randomBytes(32);

/** An entry of a social worker of CPAS Ciney reading a case, at a time (10:00 Brussels by default). */
const anEntry = (overrides: Partial<AccessEntry> = {}): AccessEntry => ({
  at: new Date('2026-11-20T10:00:00+01:00'),
  staffId: 'staff-as-ciney',
  organisationId: 'cpas-ciney',
  route: 'GET /api/v1/cases/:id',
  purpose: 'case_follow_up',
  outcome: 'allowed',
  status: 200,
  caseIds: ['case-1'],
  subjectIds: ['subject-1', 'subject-2'],
  requestId: 'request-1',
  clientAddress: '127.0.0.1',
  ...overrides,
});

describe('AccessLog on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  const pools: Pool[] = [];

  /** An api replica: its own pool on the same database, the same master key. */
  const aReplica = (masterKey = MASTER_KEY) => {
    const pool = new Pool({ connectionString: url, max: 4 });
    pools.push(pool);
    return new AccessLog(pool, new AccessChain(masterKey));
  };
  let admin: Pool;
  let log: AccessLog;

  beforeAll(async () => {
    const database = await createTestDatabase();
    url = database.url;
    drop = database.drop;
    admin = new Pool({ connectionString: url });
    pools.push(admin);
    await migrate(admin, accessLogMigrations);
    log = aReplica();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await drop();
  });
  beforeEach(async () => {
    await admin.query('truncate access_log, access_log_heads');
  });

  const fiveEntries = async () => {
    for (let i = 1; i <= 5; i++) await log.write(anEntry({ requestId: `request-${i}` }));
  };

  it('numbers each day’s entries from 1 in its own chain (days in Brussels), every link holding', async () => {
    await log.write(anEntry({ at: new Date('2026-11-20T23:30:00+01:00') }));
    await log.write(anEntry({ at: new Date('2026-11-20T23:59:00+01:00') }));
    // 00:10 in Brussels, still the 20th in UTC: the 21st's chain.
    await log.write(anEntry({ at: new Date('2026-11-20T23:10:00Z') }));
    const { rows } = await admin.query<{ day: string; seq: number }>(
      `select to_char(day, 'YYYY-MM-DD') as day, seq from access_log order by day, seq`,
    );
    expect(rows).toEqual([
      { day: '2026-11-20', seq: 1 },
      { day: '2026-11-20', seq: 2 },
      { day: '2026-11-21', seq: 1 },
    ]);
    expect(await log.verify()).toEqual({ days: 2, entries: 3 });
  });

  it('keeps one chain when three replicas write 90 entries at once', async () => {
    const replicas = [aReplica(), aReplica(), aReplica()];
    await Promise.all(
      replicas.flatMap((replica, r) =>
        Array.from({ length: 30 }, (_, i) => replica.write(anEntry({ requestId: `r${r}-${i}` }))),
      ),
    );
    const { rows } = await admin.query<{ seq: number }>('select seq from access_log order by seq');
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(await log.verify()).toEqual({ days: 1, entries: 90 });
  });

  it('writes entries that wait together in one transaction, days apart, each in its own chain', async () => {
    const at = (day: number) => new Date(`2026-11-${day}T10:00:00+01:00`);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => log.write(anEntry({ at: at(20 + (i % 2)) }))),
    );
    const { rows } = await admin.query<{ day: string; n: number; last: number }>(
      `select to_char(day, 'YYYY-MM-DD') as day, count(*)::int as n, max(seq) as last
       from access_log group by day order by day`,
    );
    expect(rows).toEqual([
      { day: '2026-11-20', n: 20, last: 20 },
      { day: '2026-11-21', n: 20, last: 20 },
    ]);
    expect(await log.verify()).toEqual({ days: 2, entries: 40 });
  });

  it('reports an edited row as the first broken link', async () => {
    await fiveEntries();
    await admin.query(
      `update access_log set staff_id = 'someone-else' where day = '2026-11-20' and seq = 3`,
    );
    expect((await log.verify()).broken).toMatchObject({
      day: '2026-11-20',
      seq: 3,
      problem: 'changed',
    });
  });

  it('reports an edited row whose hash was recomputed without the key', async () => {
    await fiveEntries();
    await admin.query(
      `update access_log set case_ids = '{}', hash = sha256(hash) where day = '2026-11-20' and seq = 2`,
    );
    expect((await log.verify()).broken).toMatchObject({ seq: 2, problem: 'changed' });
  });

  it('reports a deleted row', async () => {
    await fiveEntries();
    await admin.query(`delete from access_log where day = '2026-11-20' and seq = 2`);
    const { broken } = await log.verify();
    expect(broken).toMatchObject({ day: '2026-11-20', seq: 2, problem: 'missing' });
    expect(broken?.message).toContain('#2 is missing');
  });

  it('reports the last rows deleted, by the day’s head', async () => {
    await fiveEntries();
    await admin.query(`delete from access_log where day = '2026-11-20' and seq >= 4`);
    expect((await log.verify()).broken).toMatchObject({ seq: 4, problem: 'missing_at_end' });
  });

  it('reports rows renumbered to hide a deletion', async () => {
    await fiveEntries();
    await admin.query(`delete from access_log where day = '2026-11-20' and seq = 5`);
    await admin.query(`update access_log_heads set entries = 4 where day = '2026-11-20'`);
    expect((await log.verify()).broken).toMatchObject({ seq: 4, problem: 'head_changed' });
  });

  it('holds for the key it was written with only', async () => {
    await fiveEntries();
    expect((await aReplica(randomBytes(32)).verify()).broken).toMatchObject({
      seq: 1,
      problem: 'changed',
    });
  });

  it('finds entries by staff, organisation, case, subject and period, newest first', async () => {
    await log.write(anEntry({ requestId: 'a', at: new Date('2026-11-18T09:00:00+01:00') }));
    await log.write(
      anEntry({
        requestId: 'b',
        staffId: 'staff-delegue',
        organisationId: 'saj-dinant',
        caseIds: ['case-2'],
        subjectIds: ['subject-3'],
      }),
    );
    await log.write(anEntry({ requestId: 'c', outcome: 'denied', status: 404, subjectIds: [] }));
    const ids = async (query: Parameters<AccessLog['search']>[0]) =>
      (await log.search(query)).map((e) => e.requestId);
    expect(await ids({ limit: 10 })).toEqual(['c', 'b', 'a']);
    expect(await ids({ staffId: 'staff-delegue', limit: 10 })).toEqual(['b']);
    expect(await ids({ organisationId: 'cpas-ciney', limit: 10 })).toEqual(['c', 'a']);
    expect(await ids({ caseId: 'case-1', limit: 10 })).toEqual(['c', 'a']);
    expect(await ids({ subjectId: 'subject-1', limit: 10 })).toEqual(['a']);
    expect(await ids({ from: '2026-11-19', to: '2026-11-20', limit: 10 })).toEqual(['c', 'b']);
    expect(await ids({ limit: 1 })).toEqual(['c']);
    expect((await log.search({ limit: 1 }))[0]).toMatchObject({
      at: '2026-11-20T09:00:00.000Z',
      day: '2026-11-20',
      seq: 2, // 'a' opened the 18th's chain
      staffId: 'staff-as-ciney',
      organisationId: 'cpas-ciney',
      route: 'GET /api/v1/cases/:id',
      purpose: 'case_follow_up',
      outcome: 'denied',
      status: 404,
      caseIds: ['case-1'],
      subjectIds: [],
      clientAddress: '127.0.0.1',
    });
  });
});
