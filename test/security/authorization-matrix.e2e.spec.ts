import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { parse, stringify } from 'yaml';
import { ACCESS_PURPOSE_EXTENSION, ACCESS_PURPOSES } from '@relais/access-log';
import type { StaffRole } from '@relais/domain';
import { apiOf, aCaseWithTheSaj, Call, joinedBy, notificationIn } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';
import {
  A_MEMBER_SERVICE,
  AUTHORIZATION_MATRIX,
  CoordinationFixtures,
  MatrixFixtures,
  MatrixRequest,
  OperationRule,
  Scope,
} from './authorization-matrix';

jest.setTimeout(180_000);

const TOKEN_SECRET = randomBytes(32).toString('hex');
const SHIPPED = join(__dirname, '../../protocols/dinant-cpas-saj.yaml');

const ACCOUNTS: Readonly<Record<StaffRole, string>> = {
  social_worker: 'as@cpas-ciney.demo',
  saj_delegate: 'delegue1@saj-dinant.demo',
  manager: 'chef@saj-dinant.demo',
  coordinator: 'coordination@relais.demo',
  admin: 'admin@relais.demo',
  dpo: 'dpo@relais.demo',
};
const ORGANISATIONS: Readonly<Record<StaffRole, string>> = {
  social_worker: 'cpas-ciney',
  saj_delegate: 'saj-dinant',
  manager: 'saj-dinant',
  coordinator: 'coordination-dinant',
  admin: 'coordination-dinant',
  dpo: 'coordination-dinant',
};
const ROLES = Object.keys(ACCOUNTS) as StaffRole[];

/** Family names only CPAS Dinant may read, and those of the Ciney case the SAJ follows. */
const DINANT_ONLY = { firstName: 'Zéphyrine', lastName: 'Invisible-Dinant' };
const CINEY_WITH_SAJ = { firstName: 'Ondine', lastName: 'Partagée-Ciney' };

const unsigned = (payload: object) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
    JSON.stringify(payload),
  ).toString('base64url')}.`;

describe('the authorization matrix: every operation, every caller', () => {
  let relais: TestRelais;
  let call: Call;
  let document: { paths: Record<string, Record<string, unknown>> };
  const tokens = {} as Record<StaffRole, string>;
  const cases = {} as Record<'cineyWithSaj' | 'dinantOnly', string>;
  let n = 0;

  beforeAll(async () => {
    relais = await startTestRelais({ RELAIS_TOKEN_SECRET: TOKEN_SECRET });
    call = apiOf(relais);
    for (const role of ROLES) tokens[role] = await relais.token(ACCOUNTS[role]);
    document = (await (await fetch(`${relais.url}/api/docs-json`)).json()) as typeof document;

    cases.cineyWithSaj = await aCaseOf(tokens.social_worker, '91030', CINEY_WITH_SAJ);
    await joinedBy(call, tokens.social_worker, cases.cineyWithSaj, 'saj-dinant', {
      legalBasis: 'judicial_mandate',
    });
    cases.dinantOnly = await aCaseOf(
      await relais.token('as@cpas-dinant.demo'),
      '91034',
      DINANT_ONLY,
    );
    shipped = parse(await readFile(SHIPPED, 'utf8')) as Record<string, unknown>;
  });
  afterAll(() => relais.close());

  async function aCaseOf(token: string, residenceCommune: string, names: typeof DINANT_ONLY) {
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', token, {
      occurredOn: '2026-11-02',
      residenceCommune,
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', ...names }],
    });
    expect(opened.status).toBe(201);
    return opened.body.caseId;
  }

  const fixtures: MatrixFixtures = {
    organisationOf: (role) => ORGANISATIONS[role],
    otherOrganisationOf: (role) =>
      ORGANISATIONS[role] === 'saj-dinant' ? 'cpas-ciney' : 'saj-dinant',
    caseFor: (role, scope) =>
      scope === 'own' && (role === 'social_worker' || role === 'saj_delegate')
        ? cases.cineyWithSaj
        : cases.dinantOnly,
    freshStaff: async (organisationId) => {
      const answer = await call<{ id: string }>('POST', '/api/v1/staff', tokens.admin, {
        organisationId,
        name: 'Cible Matrice',
        email: `cible-${fixtures.unique()}@${organisationId}.demo`,
        roles: [organisationId.startsWith('saj') ? 'saj_delegate' : 'social_worker'],
      });
      expect(answer.status).toBe(201);
      return answer.body.id;
    },
    freshNotification: async (organisationId) => {
      const caseId = await aCaseWithTheSaj(call, tokens.social_worker);
      if (organisationId === 'saj-dinant') {
        const logged = await call('POST', `/api/v1/cases/${caseId}/events`, tokens.social_worker, {
          type: 'RisSuppressed',
          occurredOn: '2026-11-19',
          reason: 'resources_above_threshold',
          effectiveOn: '2026-12-01',
        });
        expect(logged.status).toBe(201);
        return (await notificationIn(call, tokens.saj_delegate, caseId, 'cpas-ris-suppressed')).id;
      }
      const logged = await call('POST', `/api/v1/cases/${caseId}/events`, tokens.saj_delegate, {
        type: 'AidProgrammeChanged',
        occurredOn: '2026-11-19',
        programme: 'in_family_support',
      });
      expect(logged.status).toBe(201);
      return (await notificationIn(call, tokens.social_worker, caseId, 'saj-aid-programme-changed'))
        .id;
    },
    webhookOf: async (organisationId) => {
      const answer = await call(
        'PUT',
        `/api/v1/organisations/${organisationId}/webhook`,
        tokens.admin,
        {
          url: 'http://127.0.0.1:9/relais/webhook',
        },
      );
      expect(answer.status).toBe(200);
    },
    freshProtocol: async (signatories) => {
      const id = `matrice-${fixtures.unique()}`;
      const answer = await fetch(`${relais.url}/api/v1/protocols`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/yaml' },
        body: protocolDocument(id, signatories),
      });
      expect(answer.status).toBe(201);
      await eventually(
        async () => (await call('GET', `/api/v1/protocols/${id}`, tokens.admin)).status === 200,
      );
      return id;
    },
    newProtocolDocument: () =>
      protocolDocument(`matrice-${fixtures.unique()}`, ['cpas-ciney', 'saj-dinant']),
    unique: () => `${process.pid}-${++n}`,
    coordination: {
      member: () => aMemberService(),
      body: async (role, scope) => {
        const { id: bodyId } = await asCoordinator<{ id: string }>(
          'POST',
          '/api/v1/coordination/bodies',
          201,
          {
            kind: 'working_group',
            name: `Groupe ${fixtures.unique()}`,
            theme: 'Jeunesse',
          },
        );
        const memberKey =
          scope === 'own' ? await serviceOf(ORGANISATIONS[role]) : await aMemberService();
        await asCoordinator('POST', `/api/v1/coordination/bodies/${bodyId}/members`, 201, {
          kind: 'organisation',
          memberId: memberKey,
        });
        await eventually(async () => {
          const body = await call<{ members?: unknown[] }>(
            'GET',
            `/api/v1/coordination/bodies/${bodyId}`,
            tokens.coordinator,
          );
          return body.status === 200 && body.body.members?.length === 1;
        });
        return { bodyId, memberKey };
      },
      meeting: async (role, scope, stage) => {
        const { bodyId } = await fixtures.coordination.body(role, scope);
        const convene = async (date: string) =>
          (
            await asCoordinator<{ id: string }>('POST', '/api/v1/coordination/meetings', 201, {
              bodyId,
              date,
              place: 'CPAS de Dinant',
              agenda: ['Tour de table'],
            })
          ).id;
        const meetingId = await convene('2026-10-15');
        const nextMeetingId = await convene('2026-11-19');
        if (stage !== 'convened') {
          await asCoordinator('PUT', `/api/v1/coordination/meetings/${meetingId}/minutes`, 200, {
            text: 'Les services présentent leurs actions.',
          });
        }
        if (stage === 'approved') {
          await asCoordinator(
            'POST',
            `/api/v1/coordination/meetings/${meetingId}/minutes/approval`,
            200,
            {
              approvedAtMeetingId: nextMeetingId,
            },
          );
        }
        const status = { convened: 'none', drafted: 'drafted', approved: 'approved' }[stage];
        await eventually(async () => {
          const meeting = await call<{ minutes?: { status: string } }>(
            'GET',
            `/api/v1/coordination/meetings/${meetingId}`,
            tokens.coordinator,
          );
          return meeting.status === 200 && meeting.body.minutes?.status === status;
        });
        return { meetingId, nextMeetingId };
      },
      official: async () =>
        (
          await asCoordinator<{ id: string }>('POST', '/api/v1/coordination/officials', 201, {
            name: 'Élue Cible',
            role: 'Échevine des affaires sociales',
            email: `elue-${fixtures.unique()}@relais.demo`,
          })
        ).id,
    } satisfies CoordinationFixtures,
  };

  async function asCoordinator<T = unknown>(
    method: string,
    path: string,
    want: number,
    body?: unknown,
  ) {
    const answer = await call<T>(method, path, tokens.coordinator, body);
    expect(answer.status).toBe(want);
    return answer.body;
  }

  const aMemberService = async () =>
    (
      await asCoordinator<{ id: string }>(
        'POST',
        '/api/v1/coordination/members',
        201,
        A_MEMBER_SERVICE,
      )
    ).id;

  /** Each organisation's member service, registered once. */
  const services = new Map<string, Promise<string>>();
  const serviceOf = (organisationId: string) => {
    const known = services.get(organisationId);
    if (known) return known;
    const registered = asCoordinator<{ id: string }>('POST', '/api/v1/coordination/members', 201, {
      ...A_MEMBER_SERVICE,
      name: `Service ${organisationId}`,
      organisationId,
    }).then((b) => b.id);
    services.set(organisationId, registered);
    return registered;
  };

  let shipped: Record<string, unknown> | undefined;
  function protocolDocument(id: string, signatories: readonly string[]): string {
    const base = shipped as Record<string, unknown>;
    return stringify({
      ...base,
      id,
      version: 1,
      title: `Protocole ${id}`,
      partners: signatories.map((organisation) => ({ organisation })),
    });
  }

  async function send(request: MatrixRequest, authorization?: string) {
    const response = await fetch(`${relais.url}${request.path}`, {
      method: request.method,
      headers: {
        ...(authorization === undefined ? {} : { authorization: `Bearer ${authorization}` }),
        ...(request.body === undefined
          ? {}
          : { 'content-type': request.contentType ?? 'application/json' }),
      },
      body:
        request.body === undefined
          ? undefined
          : typeof request.body === 'string'
            ? request.body
            : JSON.stringify(request.body),
    });
    return {
      status: response.status,
      text: await response.text(),
      type: response.headers.get('content-type'),
    };
  }

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );

  it('states the rules of every operation in the OpenAPI document, and of no other', () => {
    const documented = operations().sort();
    expect(documented.filter((op) => !(op in AUTHORIZATION_MATRIX))).toEqual([]);
    expect(Object.keys(AUTHORIZATION_MATRIX).filter((op) => !documented.includes(op))).toEqual([]);
  });

  const purposeOf = (operation: string): unknown => {
    const [method = '', path = ''] = operation.split(' ');
    const described = document.paths[path]?.[method.toLowerCase()] as
      Record<string, unknown> | undefined;
    return described?.[ACCESS_PURPOSE_EXTENSION];
  };

  it('declares an access purpose on every operation that carries case content', () => {
    const undeclared = Object.entries(AUTHORIZATION_MATRIX)
      .filter(([, rule]) => rule.caseData)
      .map(([operation]) => operation)
      .filter(
        (operation) => !(ACCESS_PURPOSES as readonly unknown[]).includes(purposeOf(operation)),
      );
    expect(undeclared).toEqual([]);
  });

  const accessLogEntries = async () =>
    Number(
      (await relais.database.pool.query<{ n: string }>('select count(*) as n from access_log'))
        .rows[0]?.n,
    );

  /** Families whose names a caller's organisation may not read. */
  const forbiddenNames = (role: StaffRole) => [
    ...Object.values(DINANT_ONLY),
    ...(ORGANISATIONS[role] === 'cpas-ciney' || ORGANISATIONS[role] === 'saj-dinant'
      ? []
      : Object.values(CINEY_WITH_SAJ)),
  ];

  const expected = (rule: OperationRule, role: StaffRole, scope: Scope) => {
    const cell = rule.expect[role];
    return typeof cell === 'number' ? cell : cell[scope];
  };

  it('answers each demo role on its own organisation’s resources and another’s as the table says, and never shows another organisation’s families', async () => {
    const mismatches: string[] = [];
    for (const [operation, rule] of Object.entries(AUTHORIZATION_MATRIX)) {
      for (const role of ROLES) {
        for (const scope of ['own', 'other'] as const) {
          const request = await rule.request(fixtures, role, scope);
          const before = await accessLogEntries();
          const answer = await send(request, tokens[role]);
          const logged = (await accessLogEntries()) - before;
          const want = expected(rule, role, scope);
          // One entry for each answer of an operation with a purpose, allowed or refused; none otherwise.
          const wantLogged = purposeOf(operation) !== undefined && answer.status < 500 ? 1 : 0;
          if (logged !== wantLogged) {
            mismatches.push(
              `${operation} as ${role} (${scope}): ${logged} access-log entries, expected ${wantLogged}`,
            );
          }
          if (answer.status !== want) {
            mismatches.push(
              `${operation} as ${role} (${scope}): ${answer.status}, expected ${want} ${answer.text.slice(0, 200)}`,
            );
          }
          if (answer.status >= 400 && !answer.type?.startsWith('application/problem+json')) {
            mismatches.push(
              `${operation} as ${role} (${scope}): ${answer.status} is not problem+json`,
            );
          }
          if (answer.status < 300) {
            for (const name of forbiddenNames(role)) {
              if (answer.text.includes(name)) {
                mismatches.push(`${operation} as ${role} (${scope}) shows "${name}"`);
              }
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('answers 401 without a valid token on every operation that is not public: none, unsigned, wrong key, tampered, expired, unknown or deactivated account', async () => {
    const staffId = await fixtures.freshStaff('cpas-ciney');
    // Relais judges expiry by its own clock, which the tests set.
    const now = Math.floor(relais.clock.now().getTime() / 1000);
    const sign = (claims: object, subject: string, key = TOKEN_SECRET, expiresAt = now + 3600) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('relais')
        .setSubject(subject)
        .setIssuedAt(now - 7200)
        .setExpirationTime(expiresAt)
        .sign(new TextEncoder().encode(key));
    const claims = { org: 'coordination-dinant', roles: ['admin'], email: 'admin@relais.demo' };
    const adminId = (await call<{ staffId: string }>('GET', '/api/v1/me', tokens.admin)).body
      .staffId;
    const [header, payload, signature] = tokens.social_worker.split('.');
    const tampered = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    tampered.roles = ['admin'];
    const deactivatedToken = await sign(
      { org: 'cpas-ciney', roles: ['social_worker'], email: 'x@y.z' },
      staffId,
    );
    expect((await call('POST', `/api/v1/staff/${staffId}/deactivate`, tokens.admin)).status).toBe(
      200,
    );

    const callers: Record<string, string | undefined> = {
      none: undefined,
      garbage: 'not-a-token',
      unsigned: unsigned({
        ...claims,
        sub: adminId,
        iss: 'relais',
        iat: now,
        exp: now + 3600,
      }),
      'wrong key': await sign(claims, adminId, randomBytes(32).toString('hex')),
      tampered: `${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${signature}`,
      expired: await sign(claims, adminId, TOKEN_SECRET, now - 60),
      'unknown account': await sign(claims, '00000000-0000-4000-8000-00000000dead'),
      'deactivated account': deactivatedToken,
    };
    const mismatches: string[] = [];
    for (const [operation, rule] of Object.entries(AUTHORIZATION_MATRIX)) {
      const request = await rule.request(fixtures, 'admin', 'own');
      for (const [who, token] of Object.entries(callers)) {
        const answer = await send(request, token);
        const want = rule.public ? expected(rule, 'admin', 'own') : 401;
        if (answer.status !== want)
          mismatches.push(`${operation} as ${who}: ${answer.status}, expected ${want}`);
        if (!rule.public && !answer.type?.startsWith('application/problem+json')) {
          mismatches.push(`${operation} as ${who}: not problem+json`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
