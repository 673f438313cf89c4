import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

const SHIPPED_PROTOCOL = join(__dirname, '../../protocols/dinant-cpas-saj.yaml');

interface Problem {
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Problem;
}

const aCase = (overrides: Record<string, unknown> = {}) => ({
  occurredOn: '2026-11-20',
  residenceCommune: '91030',
  legalBasis: 'legal_obligation',
  familyMembers: [{ role: 'parent', firstName: 'Anne', lastName: 'Exemple' }],
  ...overrides,
});

/** `{"a":{"a":…}}` or `[[…]]`, `depth` levels deep, as text: JSON.stringify would overflow first. */
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const manyKeys = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":0`).join(',')}}`;

describe('hostile input never gets a 500', () => {
  let relais: TestRelais;
  let as: string; // social worker, CPAS Ciney
  let admin: string;
  let coordination: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    as = await relais.token('as@cpas-ciney.demo');
    admin = await relais.token('admin@relais.demo');
    coordination = await relais.token('coordination@relais.demo');
  });
  afterAll(() => relais.close());

  /** Sends the body exactly as given, and the lines the app logged at ERROR meanwhile. */
  async function send(
    method: string,
    path: string,
    options: { token?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<Answer & { errorsLogged: string[] }> {
    const before = relais.logger.lines.length;
    const response = await fetch(`${relais.url}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    let body: Problem;
    try {
      body = JSON.parse(text) as Problem;
    } catch {
      body = { status: response.status, detail: text.slice(0, 200) };
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body,
      errorsLogged: relais.logger
        .entries()
        .slice(before)
        .filter((entry) => entry.level === 'error')
        .map((entry) => entry.message ?? ''),
    };
  }

  /** A client's mistake: that status, as problem+json, and nothing logged at ERROR. */
  function expectClientError(answer: Answer & { errorsLogged: string[] }, status: number): void {
    expect({ status: answer.status, contentType: answer.contentType }).toEqual({
      status,
      contentType: expect.stringMatching(/^application\/problem\+json/) as unknown,
    });
    expect(answer.body.status).toBe(status);
    expect(answer.errorsLogged).toEqual([]);
  }

  const fields = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.field);

  describe('body limits', () => {
    it('POST /api/v1/cases takes a body of 150 KB to the validation (over the old 100 KB)', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: JSON.stringify(
          aCase({
            familyMembers: [{ role: 'parent', firstName: 'x'.repeat(150_000), lastName: 'E' }],
          }),
        ),
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['familyMembers.0.firstName']);
    });

    it('POST /api/v1/cases answers 413 to a body over 256 KB', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: JSON.stringify(aCase({ note: 'x'.repeat(300_000) })),
      });
      expectClientError(answer, 413);
      expect(answer.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('POST /api/v1/cases answers 413 to a body of 5 MB', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: JSON.stringify(aCase({ note: 'x'.repeat(5_000_000) })),
      });
      expectClientError(answer, 413);
      expect(answer.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('POST /api/v1/protocols takes a JSON document of 600 KB, and refuses one over 1 MB', async () => {
      const document = parse(await readFile(SHIPPED_PROTOCOL, 'utf8')) as Record<string, unknown>;
      const large = await send('POST', '/api/v1/protocols', {
        token: coordination,
        body: JSON.stringify({ ...document, title: 'x'.repeat(600_000) }),
      });
      expectClientError(large, 400);
      expect(fields(large)).toEqual(['title']);
      const tooLarge = await send('POST', '/api/v1/protocols', {
        token: coordination,
        body: JSON.stringify({ ...document, title: 'x'.repeat(1_100_000) }),
      });
      expectClientError(tooLarge, 413);
    });
  });

  describe('nesting and keys', () => {
    it('answers 400 to arrays nested 10,000 deep', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: `{"familyMembers":${nestedArrays(10_000)}}`,
      });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('NESTED_TOO_DEEP');
    });

    it('answers 400 to objects nested 5,000 deep', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: nestedObjects(5_000),
      });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('NESTED_TOO_DEEP');
    });

    it('takes a body nested 32 deep to the validation', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: JSON.stringify(aCase({ extra: JSON.parse(nestedObjects(31)) as unknown })),
      });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    });

    it('answers 400 to 50,000 keys', async () => {
      const answer = await send('POST', '/api/v1/cases', { token: as, body: manyKeys(50_000) });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('TOO_MANY_KEYS');
    });

    it('answers 400 to 50,000 keys in a protocol document, which may be larger', async () => {
      const answer = await send('POST', '/api/v1/protocols', {
        token: coordination,
        body: manyKeys(50_000),
      });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('TOO_MANY_KEYS');
    });

    it('answers 400 to 10,001 keys and items in a small body', async () => {
      const body = JSON.stringify(
        aCase({ extra: Array.from({ length: 5_001 }, () => ({ a: 0 })) }),
      );
      expect(body.length).toBeLessThan(256_000);
      const answer = await send('POST', '/api/v1/cases', { token: as, body });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('TOO_MANY_KEYS');
    });
  });

  describe('encodings', () => {
    it('answers 415 to content-type: application/json; charset=latin1', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: JSON.stringify(aCase()),
        headers: { 'content-type': 'application/json; charset=latin1' },
      });
      expectClientError(answer, 415);
      expect(answer.body.code).toBe('UNSUPPORTED_CHARSET');
    });

    it.each(['gzip', 'deflate'])(
      'answers 400 to content-encoding: %s on a body that is not compressed',
      async (encoding) => {
        const answer = await send('POST', '/api/v1/cases', {
          token: as,
          body: JSON.stringify(aCase()),
          headers: { 'content-encoding': encoding },
        });
        expectClientError(answer, 400);
        expect(answer.body.code).toBe('MALFORMED_BODY');
      },
    );

    it('answers 415 to a content-encoding it does not know', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: JSON.stringify(aCase()),
        headers: { 'content-encoding': 'compress' },
      });
      expectClientError(answer, 415);
      expect(answer.body.code).toBe('UNSUPPORTED_ENCODING');
    });

    it('still reads a body that is truly gzipped', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: gzipSync(JSON.stringify(aCase({ occurredOn: '2026-02-30' }))),
        headers: { 'content-encoding': 'gzip' },
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['occurredOn']);
    });

    it('answers 415 to a body that is neither JSON nor YAML', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: 'occurredOn=2026-11-20',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectClientError(answer, 415);
      expect(answer.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers 400 to JSON that does not parse', async () => {
      const answer = await send('POST', '/api/v1/cases', { token: as, body: '{"occurredOn":' });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('MALFORMED_JSON');
    });
  });

  describe('NUL characters and lone surrogates', () => {
    it('POST /api/v1/staff answers 400 naming an e-mail that holds a lone surrogate', async () => {
      const answer = await send('POST', '/api/v1/staff', {
        token: admin,
        body: JSON.stringify({
          organisationId: 'cpas-ciney',
          name: 'Claire Martin',
          email: 'claire\ud800@cpas-ciney.be',
          roles: ['social_worker'],
        }),
      });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect(fields(answer)).toEqual(['email']);
    });

    it('POST /api/v1/organisations answers 400 naming a name that holds a NUL', async () => {
      const answer = await send('POST', '/api/v1/organisations', {
        token: admin,
        body: JSON.stringify({
          id: 'asbl-nul',
          name: 'ASBL\u0000Nul',
          kind: 'OTHER',
          territory: { kind: 'communes', communes: ['91030'] },
          contactEmail: 'contact@nul.be',
        }),
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['name']);
    });

    it('POST /api/v1/cases answers 400 naming a first name that holds a NUL', async () => {
      const answer = await send('POST', '/api/v1/cases', {
        token: as,
        body: JSON.stringify(
          aCase({ familyMembers: [{ role: 'parent', firstName: 'An\u0000ne', lastName: 'E' }] }),
        ),
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['familyMembers.0.firstName']);
    });

    it('POST /api/v1/protocols answers 400 naming a key that holds a NUL', async () => {
      const document = parse(await readFile(SHIPPED_PROTOCOL, 'utf8')) as Record<string, unknown>;
      const answer = await send('POST', '/api/v1/protocols', {
        token: coordination,
        body: JSON.stringify({ ...document, 'x\u0000': 1 }),
      });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    });

    it('POST /api/v1/protocols answers 400 to a YAML document whose title holds a NUL', async () => {
      const yaml = (await readFile(SHIPPED_PROTOCOL, 'utf8')).replace(
        /^title: .*$/m,
        'title: "Protocole\\0"',
      );
      const answer = await send('POST', '/api/v1/protocols', {
        token: coordination,
        body: yaml,
        headers: { 'content-type': 'application/yaml' },
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['title']);
    });

    it('POST /api/v1/protocols answers 400 to YAML aliases that expand a billionfold', async () => {
      const lists = 'abcdefghi'.split('').map((name, i) => {
        const items = i === 0 ? '"x"' : `*${'abcdefghi'[i - 1] ?? ''}`;
        return `${name}: &${name} [${Array.from({ length: 9 }, () => items).join(', ')}]`;
      });
      const answer = await send('POST', '/api/v1/protocols', {
        token: coordination,
        body: lists.join('\n'),
        headers: { 'content-type': 'application/yaml' },
      });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    });

    it('POST /api/v1/protocols answers 400 to YAML nested 10,000 deep', async () => {
      const answer = await send('POST', '/api/v1/protocols', {
        token: coordination,
        body: nestedArrays(10_000),
        headers: { 'content-type': 'application/yaml' },
      });
      expectClientError(answer, 400);
    });

    it('GET /api/v1/organisations/%00 answers 400 naming the path parameter', async () => {
      const answer = await send('GET', '/api/v1/organisations/%00', { token: as });
      expectClientError(answer, 400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect(fields(answer)).toEqual(['id']);
    });

    it('GET /api/v1/staff?organisationId=%00 answers 400 naming the query parameter', async () => {
      const answer = await send('GET', '/api/v1/staff?organisationId=a%00b', { token: as });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['organisationId']);
    });

    it.each(['%ff', '%ed%a0%80'])(
      'GET /api/v1/protocols/%s (not UTF-8, or a lone surrogate) answers 400',
      async (parameter) => {
        const answer = await send('GET', `/api/v1/protocols/${parameter}`, { token: as });
        expectClientError(answer, 400);
      },
    );
  });

  describe('calendar dates', () => {
    it('POST /api/v1/protocols/:id/simulate answers 400 naming occurredOn 2026-02-30', async () => {
      const answer = await send('POST', '/api/v1/protocols/dinant-cpas-saj/simulate', {
        token: as,
        body: JSON.stringify({
          event: { type: 'RisSuppressed', occurredOn: '2026-02-30', reason: 'other' },
        }),
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['event.occurredOn']);
    });

    it('GET /api/v1/compliance/obligations answers 400 naming from=2026-02-30', async () => {
      const answer = await send('GET', '/api/v1/compliance/obligations?from=2026-02-30', {
        token: coordination,
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['from']);
    });

    it('GET /api/v1/compliance/summary answers 400 naming to=2026-02-30, a month written as a day', async () => {
      const answer = await send('GET', '/api/v1/compliance/summary?to=2026-02-30', {
        token: coordination,
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual(['to']);
    });

    it.each([
      ['POST /api/v1/cases', '/api/v1/cases', () => aCase({ occurredOn: '2026-02-30' })],
      [
        'POST /api/v1/organisations',
        '/api/v1/organisations',
        () => ({
          id: 'asbl-dates',
          name: 'ASBL Dates',
          kind: 'OTHER',
          territory: { kind: 'communes', communes: ['91030'] },
          contactEmail: 'contact@dates.be',
          closureDays: ['2026-02-30'],
        }),
      ],
    ])('%s answers 400 naming a 30 February', async (_, path, body) => {
      const answer = await send('POST', path, {
        token: path === '/api/v1/cases' ? as : admin,
        body: JSON.stringify(body()),
      });
      expectClientError(answer, 400);
      expect(fields(answer)).toEqual([path === '/api/v1/cases' ? 'occurredOn' : 'closureDays']);
    });
  });
});
