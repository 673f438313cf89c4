import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PostgresEventStore } from '@relais/event-store';
import { ProtocolVersionsProjection } from '@relais/read-models';
import { parse, stringify } from 'yaml';
import { apiOf, joinedBy } from '../support/api';
import { createTestDatabase } from '../support/postgres';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '../..');
const SHIPPED = join(ROOT, 'protocols/dinant-cpas-saj.yaml');
const CLI = join(ROOT, 'dist/apps/relais/src/cli.js');

interface Problem {
  status: number;
  code?: string;
  errors?: {
    field: string;
    message: string;
    code?: string;
    params?: Record<string, unknown>;
  }[];
}

interface ProtocolView {
  id: string;
  title: string;
  versions: {
    version: number;
    effectiveFrom: string;
    status: string;
    signatories: string[];
    signedBy: string[];
    rules?: { id: string }[];
  }[];
}

interface Simulation {
  version: number | null;
  obligations: {
    ruleId: string;
    recipientOrganisationId: string;
    dueOn: string;
    acknowledgementWithinWorkingDays: number | null;
    sharedData: Record<string, unknown>;
    legalBasis: string;
  }[];
}

/** The shipped protocol as version 2: from 1 December, the CPAS has 3 working days to tell a RIS suppression. */
async function aVersion2(): Promise<string> {
  const document = parse(await readFile(SHIPPED, 'utf8')) as {
    version: number;
    effectiveFrom: string;
    rules: { id: string; deadline: unknown }[];
  };
  document.version = 2;
  document.effectiveFrom = '2026-12-01';
  for (const rule of document.rules) {
    if (rule.id === 'cpas-ris-suppressed') rule.deadline = { workingDays: 3 };
  }
  return stringify(document);
}

describe('protocols API', () => {
  let relais: TestRelais;
  let coordination: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    coordination = await relais.token('coordination@relais.demo');
  });
  afterAll(() => relais.close());

  async function call<T>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    contentType = 'application/json',
  ) {
    const response = await fetch(`${relais.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  const eventCount = async () =>
    Number(
      (await relais.database.pool.query<{ n: string }>('select count(*) as n from events')).rows[0]
        ?.n,
    );

  async function protocolWhen(
    predicate: (protocol: ProtocolView) => boolean,
  ): Promise<ProtocolView> {
    let found: ProtocolView | undefined;
    await eventually(async () => {
      const answer = await call<ProtocolView>(
        'GET',
        '/api/v1/protocols/dinant-cpas-saj',
        coordination,
      );
      found = answer.status === 200 ? answer.body : undefined;
      return found !== undefined && predicate(found);
    });
    return found as ProtocolView;
  }

  it('GET /protocols lists the shipped protocol, adopted by the demo seed', async () => {
    const as = await relais.token('as@cpas-ciney.demo');
    await eventually(
      async () => (await call<ProtocolView[]>('GET', '/api/v1/protocols', as)).body.length > 0,
    );
    const list = await call<ProtocolView[]>('GET', '/api/v1/protocols', as);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id: 'dinant-cpas-saj',
        versions: [
          expect.objectContaining({
            version: 1,
            effectiveFrom: '2026-01-01',
            status: 'adopted',
          }),
        ],
      }),
    ]);
    expect(list.body[0]?.versions[0]?.signedBy).toHaveLength(16);
  });

  it('GET /protocols/:id answers 404 for an unknown protocol', async () => {
    const answer = await call<Problem>('GET', '/api/v1/protocols/no-such-protocol', coordination);
    expect([answer.status, answer.body.code]).toEqual([404, 'PROTOCOL_NOT_FOUND']);
  });

  it('POST /protocols refuses a social worker', async () => {
    const as = await relais.token('as@cpas-ciney.demo');
    const answer = await call(
      'POST',
      '/api/v1/protocols',
      as,
      await aVersion2(),
      'application/yaml',
    );
    expect(answer.status).toBe(403);
  });

  it('POST /protocols answers 400 naming the path and line of a problem', async () => {
    const text = (await readFile(SHIPPED, 'utf8')).replace(
      'deadline: { workingDays: 5 }',
      'deadline: { workingDays: -1 }',
    );
    const line = text.split('\n').findIndex((l) => l.includes('workingDays: -1')) + 1;
    const before = await eventCount();
    const answer = await call<Problem>(
      'POST',
      '/api/v1/protocols',
      coordination,
      text,
      'text/yaml',
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.field)).toEqual(['rules[0].deadline.workingDays']);
    expect(answer.body.errors?.[0]?.message).toContain(`(line ${line})`);
    // A stable code and its parameters, for the web app to say it in the user's language.
    expect(answer.body.errors?.[0]).toMatchObject({
      code: 'PROTOCOL_AT_LEAST',
      params: { n: expect.any(Number) as number, line },
    });
    expect(await eventCount()).toBe(before);
  });

  it('POST /protocols refuses a version out of sequence (422)', async () => {
    const document = parse(await aVersion2()) as Record<string, unknown>;
    const answer = await call<Problem>('POST', '/api/v1/protocols', coordination, {
      ...document,
      version: 3,
    });
    expect([answer.status, answer.body.code]).toEqual([422, 'VERSION_OUT_OF_SEQUENCE']);
  });

  it('POST /protocols drafts version 2 with its 16 signatories', async () => {
    const answer = await call<{ id: string; version: number; signatories: string[] }>(
      'POST',
      '/api/v1/protocols',
      coordination,
      await aVersion2(),
      'application/yaml',
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ id: 'dinant-cpas-saj', version: 2 });
    expect(answer.body.signatories).toHaveLength(16);
    expect(answer.body.signatories).toEqual(
      expect.arrayContaining(['cpas-ciney', 'cpas-dinant', 'saj-dinant']),
    );
    const drafted = await protocolWhen((p) => p.versions.length === 2);
    expect(drafted.versions[1]).toMatchObject({ version: 2, status: 'draft', signedBy: [] });
    expect(drafted.versions[1]?.rules?.map((r) => r.id)).toContain('cpas-ris-suppressed');
  });

  it('POST /protocols/:id/versions/:version/signatures refuses a CPAS outside the protocol', async () => {
    const namur = await relais.token('chef@cpas-namur.demo');
    const answer = await call<Problem>(
      'POST',
      '/api/v1/protocols/dinant-cpas-saj/versions/2/signatures',
      namur,
    );
    expect([answer.status, answer.body.code]).toEqual([422, 'NOT_A_SIGNATORY']);
  });

  it('POST /protocols/:id/versions/:version/signatures refuses a social worker', async () => {
    const as = await relais.token('as@cpas-ciney.demo');
    const answer = await call(
      'POST',
      '/api/v1/protocols/dinant-cpas-saj/versions/2/signatures',
      as,
    );
    expect(answer.status).toBe(403);
  });

  it('POST /protocols/:id/versions/:version/signatures: the last of 16 signatures adopts version 2 and supersedes version 1', async () => {
    const { body: protocol } = await call<ProtocolView>(
      'GET',
      '/api/v1/protocols/dinant-cpas-saj',
      coordination,
    );
    const signatories = protocol.versions[1]?.signatories ?? [];
    expect(signatories).toHaveLength(16);
    const answers: { status: number; adopted: boolean }[] = [];
    for (const organisationId of signatories) {
      const chef = await relais.token(`chef@${organisationId}.demo`);
      const answer = await call<{ adopted: boolean }>(
        'POST',
        '/api/v1/protocols/dinant-cpas-saj/versions/2/signatures',
        chef,
      );
      answers.push({ status: answer.status, adopted: answer.body.adopted });
    }
    expect(answers.map((a) => a.status)).toEqual(signatories.map(() => 201));
    expect(answers.map((a) => a.adopted)).toEqual(signatories.map((_, i) => i === 15));

    const adopted = await protocolWhen((p) => p.versions[1]?.status === 'adopted');
    expect(adopted.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'adopted'],
    ]);
    expect([...(adopted.versions[1]?.signedBy ?? [])].sort()).toEqual([...signatories].sort());

    const again = await call<Problem>(
      'POST',
      '/api/v1/protocols/dinant-cpas-saj/versions/2/signatures',
      await relais.token('chef@saj-dinant.demo'),
    );
    expect([again.status, again.body.code]).toEqual([422, 'ALREADY_SIGNED']);
  });

  it('POST /protocols/:id/simulate: a RIS suppression on a case with the SAJ opens one obligation to saj-dinant, under the version in force, and writes nothing', async () => {
    const as = await relais.token('as@cpas-ciney.demo');
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', as, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', firstName: 'Céline', lastName: 'Dumont' }],
    });
    const caseId = opened.body.caseId;
    await joinedBy(apiOf(relais), as, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
    const simulate = (occurredOn: string, token = as) =>
      call<Simulation & Problem>('POST', '/api/v1/protocols/dinant-cpas-saj/simulate', token, {
        caseId,
        event: {
          type: 'RisSuppressed',
          occurredOn,
          reason: 'resources_above_threshold',
          effectiveOn: '2026-12-15',
        },
      });

    const before = await eventCount();
    const underV1 = await simulate('2026-11-20');
    const underV2 = await simulate('2026-12-02');
    expect(await eventCount()).toBe(before);

    expect(underV1.status).toBe(200);
    expect(underV1.body.version).toBe(1);
    expect(underV1.body.obligations).toEqual([
      expect.objectContaining({
        ruleId: 'cpas-ris-suppressed',
        recipientOrganisationId: 'saj-dinant',
        dueOn: '2026-11-27',
        acknowledgementWithinWorkingDays: 5,
        legalBasis: 'ok',
        sharedData: {
          occurredOn: '2026-11-20',
          reason: 'resources_above_threshold',
          effectiveOn: '2026-12-15',
        },
      }),
    ]);
    expect(underV2.body.version).toBe(2);
    expect(underV2.body.obligations).toEqual([
      expect.objectContaining({ recipientOrganisationId: 'saj-dinant', dueOn: '2026-12-07' }),
    ]);

    const stranger = await simulate('2026-11-20', await relais.token('as@cpas-namur.demo'));
    expect([stranger.status, stranger.body.code]).toEqual([404, 'CASE_NOT_FOUND']);
  });

  it('POST /protocols/:id/simulate evaluates a hypothetical case without one, and refuses fields an event does not have', async () => {
    const as = await relais.token('as@cpas-ciney.demo');
    const hypothetical = await call<Simulation>(
      'POST',
      '/api/v1/protocols/dinant-cpas-saj/simulate',
      as,
      {
        partners: ['saj-dinant'],
        event: { type: 'FamilyRelocated', occurredOn: '2026-11-20', destinationCommune: '91114' },
      },
    );
    expect(hypothetical.status).toBe(200);
    expect(hypothetical.body.obligations.map((o) => o.recipientOrganisationId).sort()).toEqual([
      'cpas-rochefort',
      'saj-dinant',
    ]);
    const wrong = await call<Problem>('POST', '/api/v1/protocols/dinant-cpas-saj/simulate', as, {
      event: { type: 'RisSuppressed', occurredOn: '2026-11-20', colour: 'blue' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors?.map((e) => e.field)).toEqual(['event.colour']);
  });

  it('the protocol-versions projection changes nothing when it replays every event twice', async () => {
    const { pool } = relais.database;
    const snapshot = async () =>
      (
        await pool.query<Record<string, unknown>>(
          'select * from protocol_versions order by protocol_id, version',
        )
      ).rows;
    const before = await snapshot();
    const store = relais.app.get(PostgresEventStore);
    const { events } = await store.readAll({ maxCount: 1_000_000 });
    const projection = relais.app.get(ProtocolVersionsProjection);
    const mine = events.filter((e) => projection.eventTypes.includes(e.type));
    for (let run = 0; run < 2; run++) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await projection.handle(mine, { client, store: store.within(client) });
        await client.query('commit');
      } finally {
        client.release();
      }
    }
    expect(before).toHaveLength(2);
    expect(await snapshot()).toEqual(before);
  });
});

describe('npm run relais -- protocol import', () => {
  const run = promisify(execFile);
  let database: { url: string; drop(): Promise<void> };
  let scratch: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    scratch = await mkdtemp(join(tmpdir(), 'relais-cli-'));
  });
  afterAll(async () => {
    await database.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    const base = { ...process.env };
    delete base.DATABASE_URL;
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
        cwd: ROOT,
        env: {
          ...base,
          NO_COLOR: '1',
          DATABASE_URL: database.url,
          RELAIS_VAULT_KEY: randomBytes(32).toString('base64'),
          RELAIS_VAULT_KEYRING: join(scratch, 'keys'),
          RELAIS_TOKEN_SECRET: randomBytes(32).toString('hex'),
          RELAIS_SEED_DEMO: 'never',
        },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  };

  it('drafts version 1 of the shipped protocol on an empty database and names who must sign', async () => {
    const result = await cli('protocol', 'import', 'protocols/dinant-cpas-saj.yaml');
    expect(result.code).toBe(0);
    expect(result.output).toContain('version 1');
    expect(result.output).toContain('saj-dinant');
  });

  it('exits 1 naming the path and line of a broken file', async () => {
    const broken = join(scratch, 'broken.yaml');
    await writeFile(
      broken,
      (await readFile(SHIPPED, 'utf8')).replace('version: 1', 'version: first'),
    );
    const result = await cli('protocol', 'import', broken);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/version \(line 8\)/);
  });

  it('exits 2 with the usage for an unknown command', async () => {
    const result = await cli('protocol', 'export');
    expect(result.code).toBe(2);
    expect(result.output).toContain('Usage: npm run relais -- protocol import');
  });
});
