import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@relais/database';
import { aCaseWithTheSaj, apiOf, Call, notificationIn } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import { StandalonePostgres, startStandalonePostgres } from '../support/standalone-postgres';

jest.setTimeout(120_000);

const RIS_SUPPRESSED = {
  type: 'RisSuppressed',
  occurredOn: '2026-11-16',
  reason: 'resources_above_threshold',
  effectiveOn: '2026-12-01',
};

/**
 * PostgreSQL stopped under a running Relais, then started again on the same port: while it is
 * down every client gets a quick 503 problem+json with Retry-After, never a 500 or a hang; once it
 * is back, Relais serves again by itself, processors included.
 */
describe('while PostgreSQL is down', () => {
  let dataDir: string;
  let port: number;
  let postgres: StandalonePostgres;
  let relais: TestRelais;
  let call: Call;
  let as: string;
  let delegue: string;
  let caseId: string;

  const startPostgres = async () => {
    postgres = await startStandalonePostgres(dataDir, port);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relais-outage-'));
    port = await freePort();
    await startPostgres();
    relais = await startTestRelais({}, { name: 'DATABASE_URL', adminUrl: postgres.url });
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    caseId = await aCaseWithTheSaj(call, as);
    await postgres.stop();
  });
  afterAll(async () => {
    await relais?.stop();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const request = async (method: string, path: string, token: string, body?: unknown) => {
    const started = Date.now();
    const response = await fetch(`${relais.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as { code?: string; status?: number; database?: string },
      ms: Date.now() - started,
    };
  };

  it.each([
    ['reading a case', 'GET', () => `/api/v1/cases/${caseId}`, undefined],
    ['logging an event', 'POST', () => `/api/v1/cases/${caseId}/events`, RIS_SUPPRESSED],
    ['opening a case', 'POST', () => '/api/v1/cases', undefined],
    ['the inbox', 'GET', () => '/api/v1/inbox', undefined],
  ])('%s answers 503 problem+json with Retry-After, quickly', async (_what, method, path, body) => {
    const answer = await request(
      method,
      path(),
      as,
      body ??
        (method === 'POST'
          ? {
              occurredOn: '2026-11-02',
              residenceCommune: '91030',
              legalBasis: 'legal_obligation',
              familyMembers: [{ role: 'parent', firstName: 'Ada', lastName: 'Panne' }],
            }
          : undefined),
    );
    expect(answer).toMatchObject({
      status: 503,
      type: expect.stringContaining('application/problem+json') as string,
      retryAfter: '5',
      body: { status: 503, code: 'DATABASE_UNAVAILABLE' },
    });
    expect(answer.ms).toBeLessThan(5000);
  });

  it('signing in answers 503 too, and the probes say what is down', async () => {
    const signIn = await request('POST', '/api/v1/auth/token', '', {
      email: 'as@cpas-ciney.demo',
      password: 'relais-demo',
    });
    expect(signIn).toMatchObject({ status: 503, body: { code: 'DATABASE_UNAVAILABLE' } });
    expect((await request('GET', '/health/ready', '')).body).toMatchObject({ database: 'down' });
    expect((await fetch(`${relais.url}/health/live`)).status).toBe(200);
    expect(relais.logger.lines.filter((l) => l.includes('Internal Server Error'))).toEqual([]);
  });

  it('once PostgreSQL is back, Relais serves again and its processors catch up by themselves', async () => {
    await startPostgres();
    let logged = 0;
    await eventually(async () => {
      logged = (await request('POST', `/api/v1/cases/${caseId}/events`, as, RIS_SUPPRESSED)).status;
      return logged !== 503;
    }, 30_000);
    expect(logged).toBe(201);
    const notification = await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed');
    expect(notification.status).toBe('open');
    await eventually(async () => (await fetch(`${relais.url}/health/ready`)).status === 200);
  });
});
