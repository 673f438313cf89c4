import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessLog } from '@relais/access-log';
import { aCaseWithTheSaj, apiOf, Call, notificationIn } from '../support/api';
import { runRelaisCli } from '../support/relais-process';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

const VAULT_KEY = randomBytes(32).toString('base64');
const FAMILY = [
  {
    role: 'parent',
    firstName: 'Aurélie',
    lastName: 'Journal-Accès',
    niss: '85073003328',
    birthDate: '1985-07-30',
  },
  { role: 'child', firstName: 'Noé', lastName: 'Journal-Accès' },
];
/** What of the family must never be in the log. */
const PERSONAL = ['Aurélie', 'Noé', 'Journal-Accès', '85073003328', '1985-07-30'];

interface Entry {
  day: string;
  seq: number;
  at: Date;
  staff_id: string;
  organisation_id: string;
  route: string;
  purpose: string;
  outcome: string;
  status: number;
  case_ids: string[];
  subject_ids: string[];
  request_id: string;
  client_address: string | null;
}

describe('the access log: every read of case content leaves one entry', () => {
  let relais: TestRelais;
  let call: Call;
  let worker: string;
  let workerId: string;
  let caseId: string;
  let subjectIds: string[];
  let n = 0;

  beforeAll(async () => {
    relais = await startTestRelais({ RELAIS_VAULT_KEY: VAULT_KEY });
    call = apiOf(relais);
    worker = await relais.token('as@cpas-ciney.demo');
    workerId = (await call<{ staffId: string }>('GET', '/api/v1/me', worker)).body.staffId;
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', worker, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: FAMILY,
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    const view = await call<{ family: { subjectId: string }[] }>(
      'GET',
      `/api/v1/cases/${caseId}`,
      worker,
    );
    subjectIds = view.body.family.map((m) => m.subjectId).sort();
  });
  afterAll(() => relais.close());

  /** A GET with a request id of the test's own, to find its entry. */
  async function read(path: string, token: string) {
    const requestId = `test-${process.pid}-${++n}`;
    const response = await fetch(`${relais.url}${path}`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
    });
    return {
      requestId,
      status: response.status,
      headers: response.headers,
      text: await response.text(),
    };
  }

  const entriesOf = async (requestId: string) =>
    (
      await relais.database.pool.query<Entry>(
        `select to_char(day, 'YYYY-MM-DD') as day, seq, at, staff_id, organisation_id, route, purpose,
           outcome, status, case_ids, subject_ids, request_id, client_address
         from access_log where request_id = $1`,
        [requestId],
      )
    ).rows;

  const entryOf = async (requestId: string) => {
    const entries = await entriesOf(requestId);
    expect(entries).toHaveLength(1);
    return entries[0] as Entry;
  };

  const verify = () => relais.app.get(AccessLog).verify();

  it('GET /api/v1/cases/:id: one entry with purpose case_follow_up, the family’s subject ids, who, when, the request id and the address', async () => {
    const before = Number(
      (await relais.database.pool.query<{ n: string }>('select count(*) as n from access_log'))
        .rows[0]?.n,
    );
    const answer = await read(`/api/v1/cases/${caseId}`, worker);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toBe(answer.requestId);
    const entry = await entryOf(answer.requestId);
    expect(entry).toMatchObject({
      day: '2026-11-20',
      at: relais.clock.now(),
      staff_id: workerId,
      organisation_id: 'cpas-ciney',
      route: 'GET /api/v1/cases/:id',
      purpose: 'case_follow_up',
      outcome: 'allowed',
      status: 200,
      case_ids: [caseId],
      subject_ids: subjectIds,
    });
    expect(entry.client_address).toMatch(/127\.0\.0\.1/);
    const after = Number(
      (await relais.database.pool.query<{ n: string }>('select count(*) as n from access_log'))
        .rows[0]?.n,
    );
    expect(after - before).toBe(1);
  });

  it('gives a request an id of its own when it brings none, or one that is not a plain token', async () => {
    const response = await fetch(`${relais.url}/api/v1/cases/${caseId}`, {
      headers: { authorization: `Bearer ${worker}`, 'x-request-id': '=HYPERLINK("x")' },
    });
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await entryOf(requestId)).route).toBe('GET /api/v1/cases/:id');
  });

  it('the timeline, the obligations, the cases list, the inbox, what is owed and the follow-up list each leave one entry with their purpose', async () => {
    const shared = await aCaseWithTheSaj(call, worker);
    const logged = await call('POST', `/api/v1/cases/${shared}/events`, worker, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-19',
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });
    expect(logged.status).toBe(201);
    const delegate = await relais.token('delegue1@saj-dinant.demo');
    await notificationIn(call, delegate, shared, 'cpas-ris-suppressed');
    const reads: [string, string, string, string][] = [
      [
        `/api/v1/cases/${caseId}/timeline`,
        worker,
        'GET /api/v1/cases/:id/timeline',
        'case_follow_up',
      ],
      [
        `/api/v1/cases/${caseId}/obligations`,
        worker,
        'GET /api/v1/cases/:id/obligations',
        'case_follow_up',
      ],
      ['/api/v1/cases', worker, 'GET /api/v1/cases', 'case_follow_up'],
      ['/api/v1/inbox', delegate, 'GET /api/v1/inbox', 'acknowledgement'],
      ['/api/v1/outgoing', worker, 'GET /api/v1/outgoing', 'case_follow_up'],
      [
        '/api/v1/compliance/obligations?status=open',
        worker,
        'GET /api/v1/compliance/obligations',
        'compliance_follow_up',
      ],
    ];
    for (const [path, token, route, purpose] of reads) {
      const answer = await read(path, token);
      expect(answer.status).toBe(200);
      expect(await entryOf(answer.requestId)).toMatchObject({ route, purpose, outcome: 'allowed' });
    }
    const timeline = await entryOf(
      (await read(`/api/v1/cases/${caseId}/timeline`, worker)).requestId,
    );
    expect(timeline).toMatchObject({ case_ids: [caseId], subject_ids: subjectIds });
    const inbox = await read('/api/v1/inbox', delegate);
    expect((await entryOf(inbox.requestId)).case_ids).toContain(shared);
    const list = await read('/api/v1/cases', worker);
    expect((await entryOf(list.requestId)).case_ids).toEqual(
      expect.arrayContaining([caseId, shared]),
    );
  });

  it('writes no name, NISS or birth date in the log', async () => {
    const { rows } = await relais.database.pool.query<{ text: string }>(
      'select row_to_json(a)::text as text from access_log a',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const value of PERSONAL) {
      expect(rows.filter((r) => r.text.includes(value))).toEqual([]);
    }
  });

  it('a 404 on another organisation’s case is logged as denied, a 403 by role too', async () => {
    const dinant = await relais.token('as@cpas-dinant.demo');
    const notFound = await read(`/api/v1/cases/${caseId}`, dinant);
    expect(notFound.status).toBe(404);
    expect(await entryOf(notFound.requestId)).toMatchObject({
      organisation_id: 'cpas-dinant',
      route: 'GET /api/v1/cases/:id',
      purpose: 'case_follow_up',
      outcome: 'denied',
      status: 404,
      case_ids: [caseId],
    });
    const manager = await relais.token('chef@cpas-ciney.demo');
    const forbidden = await read(`/api/v1/cases/${caseId}/timeline`, manager);
    expect(forbidden.status).toBe(403);
    expect(await entryOf(forbidden.requestId)).toMatchObject({
      organisation_id: 'cpas-ciney',
      route: 'GET /api/v1/cases/:id/timeline',
      outcome: 'denied',
      status: 403,
    });
  });

  it('a read whose entry cannot be written answers 503 problem+json and shows nothing; so does a refusal', async () => {
    const pool = relais.database.pool;
    await pool.query('alter table access_log rename to access_log_away');
    let unavailable: Awaited<ReturnType<typeof read>>;
    let refused: Awaited<ReturnType<typeof read>>;
    try {
      unavailable = await read(`/api/v1/cases/${caseId}`, worker);
      refused = await read(`/api/v1/cases/${caseId}`, await relais.token('as@cpas-dinant.demo'));
    } finally {
      await pool.query('alter table access_log_away rename to access_log');
    }
    for (const answer of [unavailable, refused]) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.headers.get('retry-after')).toBe('5');
      // Not the case's version: at most Express's own tag of the problem's body.
      expect(answer.headers.get('etag') ?? '').not.toMatch(/^"\d+"$/);
      expect(JSON.parse(answer.text)).toMatchObject({ code: 'ACCESS_LOG_UNAVAILABLE' });
      for (const value of PERSONAL) expect(answer.text).not.toContain(value);
      expect(await entriesOf(answer.requestId)).toEqual([]);
    }
    const again = await read(`/api/v1/cases/${caseId}`, worker);
    expect(again.status).toBe(200);
    expect(again.text).toContain(FAMILY[0]?.firstName);
    expect(await entriesOf(again.requestId)).toHaveLength(1);
    expect((await verify()).broken).toBeUndefined();
  });

  it('keeps one chain under 40 reads at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => read(`/api/v1/cases/${caseId}`, worker)),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const { rows } = await relais.database.pool.query<{ seq: number }>(
      `select seq from access_log where day = '2026-11-20' order by seq`,
    );
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    // Today's chain, and the demo's reads of last month in theirs.
    const { rows: all } = await relais.database.pool.query<{ days: number; entries: number }>(
      'select count(distinct day)::int as days, count(*)::int as entries from access_log',
    );
    expect(all[0]?.days).toBe(2);
    const verified = await verify();
    expect(verified.broken).toBeUndefined();
    expect(verified).toMatchObject(all[0] ?? {});
  });

  it('GET /api/v1/access-log: the DPO finds who read a case, as JSON and as CSV, and that reading is logged', async () => {
    const dpo = await relais.token('dpo@relais.demo');
    const found = await read(
      `/api/v1/access-log?case=${caseId}&from=2026-11-20&to=2026-11-20`,
      dpo,
    );
    expect(found.status).toBe(200);
    const { items } = JSON.parse(found.text) as {
      items: {
        staffId: string;
        organisationId: string;
        route: string;
        outcome: string;
        cases: { caseId: string; reference: string | null }[];
      }[];
    };
    expect(items.length).toBeGreaterThan(40);
    // Each case read by the reference the DPO can show, beside its id.
    const { reference } = (
      await call<{ reference: string }>('GET', `/api/v1/cases/${caseId}`, worker)
    ).body;
    expect(reference).toMatch(/^[A-Z]{3}-2026-[0-9A-F]{4}$/);
    for (const item of items) expect(item.cases).toContainEqual({ caseId, reference });
    expect(items).toContainEqual(
      expect.objectContaining({ organisationId: 'cpas-dinant', outcome: 'denied' }),
    );
    expect(items.filter((i) => i.staffId === workerId).length).toBeGreaterThan(40);
    const bySubject = await read(`/api/v1/access-log?subject=${subjectIds[0]}&limit=5`, dpo);
    expect((JSON.parse(bySubject.text) as { items: unknown[] }).items).toHaveLength(5);
    expect(await entryOf(found.requestId)).toMatchObject({
      route: 'GET /api/v1/access-log',
      purpose: 'dpo_review',
      case_ids: [caseId],
    });
    const csv = await read(`/api/v1/access-log?case=${caseId}&staff=${workerId}&format=csv`, dpo);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'at;day;seq;staff_id;organisation_id;route;purpose;outcome;status;case_ids;subject_ids;request_id;client_address;hash',
    );
    expect(lines.slice(1).every((l) => l.includes(`;${workerId};cpas-ciney;`))).toBe(true);
    const bad = await read('/api/v1/access-log?from=2026-11-31', dpo);
    expect(bad.status).toBe(400);
    expect((await read('/api/v1/access-log', worker)).status).toBe(403);
  });

  it('npm run relais -- access-log verify: every link holds, then reports an edited row and a deleted one and exits 1', async () => {
    const keyring = await mkdtemp(join(tmpdir(), 'relais-verify-keyring-'));
    const env = {
      DATABASE_URL: relais.database.url,
      RELAIS_VAULT_KEY: VAULT_KEY,
      RELAIS_VAULT_KEYRING: keyring,
      RELAIS_TOKEN_SECRET: randomBytes(32).toString('hex'),
    };
    const pool = relais.database.pool;
    try {
      const holding = await runRelaisCli(['access-log', 'verify'], env);
      expect(holding.stdout).toMatch(/every link holds \(2 day\(s\), \d+ entries checked\)/);
      expect(holding.code).toBe(0);

      await pool.query(
        `update access_log set organisation_id = 'cpas-dinant' where day = '2026-11-20' and seq = 7`,
      );
      const edited = await runRelaisCli(['access-log', 'verify'], env);
      expect(edited.code).toBe(1);
      expect(edited.stderr).toContain('2026-11-20 entry #7 does not match its link');

      await pool.query(`delete from access_log where day = '2026-11-20' and seq = 3`);
      const deleted = await runRelaisCli(['access-log', 'verify'], env);
      expect(deleted.code).toBe(1);
      expect(deleted.stderr).toContain('2026-11-20 entry #3 is missing');
    } finally {
      await rm(keyring, { recursive: true, force: true });
    }
  });
});
