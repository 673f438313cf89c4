import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(180_000);

/** fast-check prints it, with the failing case and how to replay it, when a property fails. */
const SEED = 20_261_120;
const BODIES_PER_WRITE = 40;
const PARAMETERS_PER_READ = 24;

const SHIPPED_PROTOCOL = join(__dirname, '../../protocols/dinant-cpas-saj.yaml');
const CALLERS = [
  'as@cpas-ciney.demo',
  'delegue1@saj-dinant.demo',
  'chef@saj-dinant.demo',
  'coordination@relais.demo',
  'admin@relais.demo',
];

interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly items?: Schema;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly allOf?: readonly Schema[];
}

interface Operation {
  readonly method: string;
  /** OpenAPI's path, `/api/v1/cases/{id}/events`. */
  readonly path: string;
  readonly pathParameters: readonly string[];
  readonly queryParameters: readonly string[];
  readonly body?: Schema;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings that have broken parsers, databases and validators before. */
const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '😀'.repeat(50),
  'é'.repeat(300),
  // Longer than any field; bodies over the limits are the hostile-input spec's (a failing case is
  // printed whole).
  'x'.repeat(10_000),
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  '2026-11-20T10:00:00Z',
  '20/11/2026',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '%s%n%x',
  '\\',
  '\r\n',
  'ＡＢＣ',
  '\u202e',
  'cpas-ciney',
  '00000000-0000-0000-0000-000000000000',
];

/** Path and query values, as they would appear in a URL (some deliberately not UTF-8). */
const HOSTILE_PARAMETERS: readonly string[] = [
  '%00',
  'a%00b',
  '..%2f..%2fetc%2fpasswd',
  '..%2F',
  '%2e%2e',
  '%ff',
  '%ed%a0%80',
  '%c0%af',
  '%',
  '%%',
  '%u0000',
  'x'.repeat(5_000),
  encodeURIComponent('😀'),
  encodeURIComponent('ñandú'),
  encodeURIComponent('中文'),
  encodeURIComponent('\u202e'),
  '%20',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  '__proto__',
  '%27%20or%201%3D1%20--',
  '%3Cscript%3E',
  '00000000-0000-0000-0000-000000000000',
];

function resolve(schema: Schema, components: Readonly<Record<string, Schema>>): Schema {
  if (schema.$ref) {
    const resolved = components[schema.$ref.replace('#/components/schemas/', '')];
    return resolved ? resolve(resolved, components) : {};
  }
  if (schema.allOf) {
    return schema.allOf.reduce<Schema>((all, part) => {
      const one = resolve(part, components);
      return { ...all, ...one, properties: { ...all.properties, ...one.properties } };
    }, {});
  }
  return schema;
}

const SCALAR_EXAMPLES: Readonly<Record<string, Json>> = {
  number: 1,
  integer: 1,
  boolean: true,
  string: 'x',
};

/** A body shaped as the schema says, from its examples and enumerations: a start to mutate. */
function exampleOf(schema: Schema, components: Readonly<Record<string, Schema>>): Json {
  const resolved = resolve(schema, components);
  if (resolved.example !== undefined) return resolved.example as Json;
  if (resolved.enum && resolved.enum.length > 0) return resolved.enum[0] as Json;
  if (resolved.properties) {
    return Object.fromEntries(
      Object.entries(resolved.properties).map(([key, property]) => [
        key,
        exampleOf(property, components),
      ]),
    );
  }
  if (resolved.type === 'array')
    return resolved.items ? [exampleOf(resolved.items, components)] : [];
  return SCALAR_EXAMPLES[resolved.type ?? ''] ?? {};
}

/** Every place in a value a mutation can aim at: `[]` is the value itself. */
function pathsIn(value: Json, prefix: readonly (string | number)[] = []): (string | number)[][] {
  const here = [[...prefix]];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, i) => pathsIn(item, [...prefix, i]))];
  if (value !== null && typeof value === 'object')
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, child]) => pathsIn(child, [...prefix, key])),
    ];
  return here;
}

function replaced(value: Json, path: readonly (string | number)[], by: Json | undefined): Json {
  if (path.length === 0) return by ?? null;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy: Json = Array.isArray(value)
    ? [...value]
    : value !== null && typeof value === 'object'
      ? { ...value }
      : {};
  const container = copy as Record<string | number, Json>;
  const next = replaced(container[head] ?? null, rest, by);
  if (by === undefined && rest.length === 0) delete container[head];
  else container[head] = next;
  return copy;
}

const nested = (depth: number): Json => (depth === 0 ? 'deep' : { a: nested(depth - 1) });

const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom<Json>(
    null,
    true,
    0,
    -1,
    1e308,
    -0,
    3.5,
    Number.MAX_SAFE_INTEGER + 2,
    [],
    {},
    [null],
    { type: 'RisSuppressed' },
    nested(40),
    Array.from({ length: 200 }, () => 'x'),
  ),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** The places in a value that hold a text. */
function textsIn(value: Json): (string | number)[][] {
  return pathsIn(value).filter((path) => {
    let here: Json | undefined = value;
    for (const segment of path) here = (here as Record<string | number, Json> | null)?.[segment];
    return typeof here === 'string';
  });
}

/** What PostgreSQL, `encodeURI` and validators have choked on: NUL and lone surrogates. */
const POISON = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800'];

const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...POISON) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/**
 * The example with its texts, one or all, made hostile; or one place replaced by anything,
 * removed, or an extra key.
 */
function mutationsOf(example: Json): fc.Arbitrary<Json> {
  const paths = pathsIn(example);
  const inner = paths.filter((p) => p.length > 0);
  const texts = textsIn(example);
  return fc.oneof(
    ...(texts.length === 0
      ? []
      : [
          {
            weight: 3,
            arbitrary: fc
              .tuple(fc.constantFrom(...texts), hostileText)
              .map(([path, text]) => replaced(example, path, text)),
          },
          {
            weight: 3,
            arbitrary: hostileText.map((text) =>
              texts.reduce<Json>((body, path) => replaced(body, path, text), example),
            ),
          },
        ]),
    fc
      .tuple(fc.constantFrom(...paths), hostileValue)
      .map(([path, value]) => replaced(example, path, value)),
    fc
      .constantFrom(...(inner.length > 0 ? inner : paths))
      .map((path) => replaced(example, path, undefined)),
    fc
      .tuple(fc.constantFrom(...HOSTILE_STRINGS, 'note', 'extra'), hostileValue)
      .map(([key, value]) =>
        example !== null && typeof example === 'object' && !Array.isArray(example)
          ? { ...example, [key]: value }
          : { [key]: value },
      ),
    fc
      .tuple(fc.constantFrom(...paths), hostileValue, fc.constantFrom(...paths), hostileValue)
      .map(([first, a, second, b]) => replaced(replaced(example, first, a), second, b)),
  );
}

/** Texts a field may well take (names, streets): a valid body that reaches the store. */
const unusualText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('Zoë', 'Ñandú', "O'Brien-Dupont", '中文', '😀'.repeat(50), 'x'.repeat(100), 'ǅ̈'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
);

/** The example with one of its texts replaced by an unusual but acceptable one. */
function unusualTextsIn(example: Json): fc.Arbitrary<Json> {
  const texts = textsIn(example);
  if (texts.length === 0) return fc.constant(example);
  return fc
    .tuple(fc.constantFrom(...texts), unusualText)
    .map(([path, text]) => replaced(example, path, text));
}

const bodiesFor = (example: Json): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(JSON.stringify(example)) },
    { weight: 3, arbitrary: unusualTextsIn(example).map((body) => JSON.stringify(body)) },
    { weight: 6, arbitrary: mutationsOf(example).map((body) => JSON.stringify(body)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((body) => JSON.stringify(body)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  );

describe('fuzzing the API', () => {
  let relais: TestRelais;
  let operations: Operation[];
  const tokens = new Map<string, string>();
  const real: Record<string, string> = {};
  const examples = new Map<string, Json>();
  let casesBefore = 0;
  const caseStreams = async () => {
    const { rows } = await relais.database.pool.query<{ n: string }>(
      `select count(distinct stream_id) as n from events where stream_id like 'case-%'`,
    );
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    relais = await startTestRelais();
    for (const email of CALLERS) tokens.set(email, await relais.token(email));
    const as = tokens.get('as@cpas-ciney.demo') ?? '';
    const delegue = tokens.get('delegue1@saj-dinant.demo') ?? '';
    const admin = tokens.get('admin@relais.demo') ?? '';
    const get = async <T>(path: string, token: string) =>
      (await (await fetch(`${relais.url}${path}`, { headers: auth(token) })).json()) as T;
    const cases = (await get<{ items: { caseId: string }[] }>('/api/v1/cases', as)).items;
    const protocols = await get<{ id: string }[]>('/api/v1/protocols', as);
    let inbox: { id: string }[] = [];
    await eventually(async () => {
      inbox = await get<{ id: string }[]>('/api/v1/inbox', delegue);
      return inbox.length > 0;
    });
    const projections = await get<{ projection: string }[]>('/api/v1/admin/projections', admin);
    Object.assign(real, {
      case: cases[0]?.caseId,
      protocol: protocols[0]?.id,
      notification: inbox[0]?.id,
      projection: projections[0]?.projection,
    });
    casesBefore = await caseStreams();
    const anId = expect.any(String) as unknown;
    expect(real).toEqual({ case: anId, protocol: anId, notification: anId, projection: anId });

    const document = (await (await fetch(`${relais.url}/api/docs-json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string }[];
            requestBody?: { content?: Record<string, { schema?: Schema }> };
          }
        >
      >;
      components: { schemas: Record<string, Schema> };
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        pathParameters: (operation.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name),
        queryParameters: (operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => p.name),
        ...(operation.requestBody?.content?.['application/json']?.schema
          ? { body: operation.requestBody.content['application/json'].schema }
          : {}),
      })),
    );
    for (const operation of operations) {
      examples.set(
        key(operation),
        operation.body ? exampleOf(operation.body, document.components.schemas) : {},
      );
    }
    // Bodies the schema describes too thinly to reach past the first check.
    examples.set('POST /api/v1/cases/{id}/events', {
      type: 'RisSuppressed',
      occurredOn: '2026-11-20',
      reason: 'other',
      effectiveOn: '2026-12-01',
    });
    const protocol = parse(await readFile(SHIPPED_PROTOCOL, 'utf8')) as Record<string, Json>;
    examples.set('POST /api/v1/protocols', {
      ...protocol,
      version: 2,
      effectiveFrom: '2027-01-01',
    });
    examples.set('POST /api/v1/staff', {
      organisationId: 'cpas-ciney',
      name: 'Claire Martin',
      email: 'claire.martin@cpas-ciney.be',
      roles: ['social_worker'],
      password: 'a-long-enough-password',
    });
    examples.set('PUT /api/v1/organisations/{organisationId}/webhook', {
      url: 'https://cpas-ciney.example.be/relais/webhook',
      secret: 's'.repeat(40),
    });
    examples.set('POST /api/v1/protocols/{id}/simulate', {
      event: { type: 'RisSuppressed', occurredOn: '2026-11-20', reason: 'other' },
      obligedOrganisationId: 'cpas-ciney',
      partners: ['saj-dinant'],
    });
    examples.set('POST /api/v1/cases', {
      occurredOn: '2026-11-20',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [
        {
          role: 'parent',
          firstName: 'Anne',
          lastName: 'Exemple',
          birthDate: '1990-01-01',
          niss: '87061512335',
          address: { street: 'Rue Haute 1', postalCode: '5590', municipality: 'Ciney' },
        },
      ],
    });
  });
  afterAll(() => relais.close());

  const key = (operation: Operation) => `${operation.method} ${operation.path}`;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** A real value for each path parameter, so that a route's body is what is fuzzed. */
  function realParameter(path: string, name: string): string {
    if (name === 'organisationId') return 'cpas-ciney';
    if (name === 'version') return '1';
    if (name === 'deliveryId') return '6f0c7c1e-0000-4000-8000-000000000000';
    if (name === 'name') return real.projection ?? '';
    if (path.startsWith('/api/v1/cases/')) return real.case ?? '';
    if (path.startsWith('/api/v1/protocols/')) return real.protocol ?? '';
    if (path.startsWith('/api/v1/notifications/')) return real.notification ?? '';
    return 'cpas-ciney';
  }

  /** The path with real values, except `odd` (already URL-encoded) for one parameter. */
  function urlOf(operation: Operation, odd?: { name: string; value: string }): string {
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      odd?.name === name ? odd.value : encodeURIComponent(realParameter(operation.path, name)),
    );
    return odd && operation.queryParameters.includes(odd.name)
      ? `${path}?${odd.name}=${odd.value}`
      : path;
  }

  async function send(method: string, url: string, token: string, body?: string): Promise<Answer> {
    const response = await fetch(`${relais.url}${url}`, {
      method,
      headers: {
        ...auth(token),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(20_000),
    });
    await response.arrayBuffer();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '' };
  }

  /**
   * A demo account whose role the route accepts: the first that the example body gets a 2xx
   * from, else the first not refused (401, 403).
   */
  async function callerFor(operation: Operation): Promise<string> {
    const body =
      operation.method === 'GET' ? undefined : JSON.stringify(examples.get(key(operation)));
    let accepted: string | undefined;
    for (const email of CALLERS) {
      const token = tokens.get(email) ?? '';
      const { status } = await send(operation.method, urlOf(operation), token, body);
      if (status >= 200 && status < 300) return token;
      if (status !== 401 && status !== 403) accepted ??= token;
    }
    return accepted ?? tokens.get('admin@relais.demo') ?? '';
  }

  function expectHandled(what: string, answer: Answer): void {
    if (
      answer.status >= 500 ||
      (answer.status >= 400 && !/^application\/problem\+json/.test(answer.contentType))
    )
      throw new Error(`${what} answered ${answer.status} (${answer.contentType})`);
  }

  it('finds the write and read operations in the OpenAPI document', () => {
    const writes = operations.filter((o) => o.method !== 'GET').map(key);
    expect(writes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/token',
        'POST /api/v1/cases',
        'POST /api/v1/cases/{id}/events',
        'POST /api/v1/organisations',
        'POST /api/v1/staff',
        'PUT /api/v1/organisations/{organisationId}/webhook',
        'DELETE /api/v1/organisations/{organisationId}/webhook',
        'POST /api/v1/protocols',
        'POST /api/v1/protocols/{id}/simulate',
        'POST /api/v1/notifications/{id}/acknowledge',
      ]),
    );
    expect(operations.filter((o) => o.method === 'GET').length).toBeGreaterThan(15);
  });

  it('answers every generated body of every write operation with no 5xx, and problem+json', async () => {
    const writes = operations.filter((o) => o.method !== 'GET');
    for (const [i, operation] of writes.entries()) {
      const token = await callerFor(operation);
      const url = urlOf(operation);
      await fc.assert(
        fc.asyncProperty(bodiesFor(examples.get(key(operation)) ?? {}), async (body) => {
          expectHandled(
            `${key(operation)} ${body.slice(0, 200)}`,
            await send(operation.method, url, token, body),
          );
        }),
        { seed: SEED + i, numRuns: BODIES_PER_WRITE },
      );
    }
  });

  it('answers odd path and query parameters of every operation with no 5xx, and problem+json', async () => {
    const withParameters = operations.filter(
      (o) => o.pathParameters.length + o.queryParameters.length > 0,
    );
    for (const [i, operation] of withParameters.entries()) {
      const token = await callerFor(operation);
      const names = [...operation.pathParameters, ...operation.queryParameters];
      const value = fc.oneof(
        fc.constantFrom(...HOSTILE_PARAMETERS),
        fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), value, async (name, odd) => {
          const url = urlOf(operation, { name, value: odd });
          const body =
            operation.method === 'GET'
              ? undefined
              : JSON.stringify(examples.get(key(operation)) ?? {});
          expectHandled(
            `${operation.method} ${url.slice(0, 300)}`,
            await send(operation.method, url, token, body),
          );
        }),
        { seed: SEED + 1_000 + i, numRuns: operation.method === 'GET' ? PARAMETERS_PER_READ : 8 },
      );
    }
  });

  // After the fuzzing above (jest runs a file's tests in order).
  it('leaves no half-written case, and stays ready', async () => {
    const { pool } = relais.database;
    expect(await caseStreams()).toBeGreaterThan(casesBefore); // the fuzzing opened cases
    const { rows: broken } = await pool.query<{ stream_id: string }>(
      `select stream_id from events where stream_id like 'case-%' group by stream_id
        having min(stream_position) <> 1 or count(*) <> max(stream_position)
            or bool_or(stream_position = 1 and type <> 'CaseOpened')`,
    );
    expect(broken).toEqual([]);
    const { rows: orphans } = await pool.query<{ case_id: string }>(
      `select case_id from case_summaries s
        where not exists (select 1 from events e where e.stream_id = 'case-' || s.case_id)`,
    );
    expect(orphans).toEqual([]);
    await eventually(async () => {
      const { rows } = await pool.query<{ n: string }>(
        `select count(*) as n from (select distinct stream_id from events where stream_id like 'case-%') c
          where not exists (select 1 from case_summaries s where 'case-' || s.case_id = c.stream_id)`,
      );
      return rows[0]?.n === '0';
    });
    const ready = await fetch(`${relais.url}/health/ready`);
    expect(ready.status).toBe(200);
  });
});
