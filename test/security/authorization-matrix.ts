/**
 * Who may call each operation of the API, and what they get: the table the authorization matrix
 * test (`authorization-matrix.e2e.spec.ts`) holds every route to. An operation of the OpenAPI
 * document missing here fails that test, so a new route must state its rules.
 *
 * Each cell is the status for one demo role, on a resource of the caller's own organisation
 * (`own`) and on one of another organisation (`other`). Callers without a valid token (none,
 * forged, expired, or a deactivated account) get 401 on every operation that is not public.
 */
import type { StaffRole } from '@relais/domain';

export type Scope = 'own' | 'other';

export interface MatrixRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** JSON when absent. */
  readonly contentType?: string;
}

/** What a request builder may use: fixtures made once, or afresh for each call. */
export interface MatrixFixtures {
  /** The demo organisation of a role's account. */
  organisationOf(role: StaffRole): string;
  /** An organisation that is not the role's (a CPAS or the SAJ, whichever it is not). */
  otherOrganisationOf(role: StaffRole): string;
  /** A case the role's organisation is a partner of, and one it is not. */
  caseFor(role: StaffRole, scope: Scope): string;
  /** A new account in that organisation, with the organisation's basic case-work role. */
  freshStaff(organisationId: string): Promise<string>;
  /** A new open notification addressed to that organisation: the SAJ, else CPAS Ciney. */
  freshNotification(organisationId: string): Promise<string>;
  /** Makes sure the organisation has a webhook. */
  webhookOf(organisationId: string): Promise<void>;
  /** A new protocol, in draft, whose signatories are these organisations. */
  freshProtocol(signatories: readonly string[]): Promise<string>;
  /** A protocol document (YAML) no one has uploaded yet. */
  newProtocolDocument(): string;
  /** A unique suffix for ids and e-mails. */
  unique(): string;
  /** The coordination sociale's fixtures, made by the coordinator. */
  readonly coordination: CoordinationFixtures;
}

export interface CoordinationFixtures {
  /** A member service of the directory. */
  member(): Promise<string>;
  /** A body the role's organisation sits in (`own`, through its member service), or one it does not. */
  body(role: StaffRole, scope: Scope): Promise<{ bodyId: string; memberKey: string }>;
  /** A meeting of such a body, held on 15 October 2026, its minutes as far as `stage`. */
  meeting(
    role: StaffRole,
    scope: Scope,
    stage: 'convened' | 'drafted' | 'approved',
  ): Promise<{ meetingId: string; nextMeetingId: string }>;
  /** A political official. */
  official(): Promise<string>;
}

export type Expected = number | { readonly own: number; readonly other: number };

export interface OperationRule {
  /** Callers without a valid token are answered as everyone else (token issue, health). */
  readonly public?: true;
  /**
   * Does the answer carry case content? Then every 2xx is searched for families not the caller's,
   * and the operation must declare an access purpose (`x-access-purpose`).
   */
  readonly caseData?: true;
  readonly expect: Readonly<Record<StaffRole, Expected>>;
  readonly request: (
    fixtures: MatrixFixtures,
    role: StaffRole,
    scope: Scope,
  ) => Promise<MatrixRequest> | MatrixRequest;
}

const everyone = (status: number): Record<StaffRole, Expected> => ({
  social_worker: status,
  saj_delegate: status,
  manager: status,
  coordinator: status,
  admin: status,
  dpo: status,
});

/** `status` for the roles named, 403 for the others. */
const only = (allowed: Partial<Record<StaffRole, Expected>>): Record<StaffRole, Expected> => ({
  ...everyone(403),
  ...allowed,
});

const CASE_WORK = (own: number, other = 404) => ({
  social_worker: { own, other },
  saj_delegate: { own, other },
});

/** An admin administers every organisation; a manager theirs only. */
const ADMINISTRATION = (status: number) =>
  only({ admin: status, manager: { own: status, other: 403 } });

/** The coordination's management: its coordinator alone. */
const COORDINATOR = (status: number) => only({ coordinator: status });

/** A body and its meetings: the coordinator, and whoever sits in it; 404 to others, as if it did not exist. */
const BODY_MEMBERS = (status: number): Record<StaffRole, Expected> => ({
  ...everyone(status),
  ...Object.fromEntries(
    (['social_worker', 'saj_delegate', 'manager', 'admin', 'dpo'] as const).map((role) => [
      role,
      { own: status, other: 404 },
    ]),
  ),
});

export const A_MEMBER_SERVICE = {
  name: 'ASBL Matrice',
  sector: 'association',
  fields: ['social', 'education'],
  address: { street: 'Rue Grande 1', postalCode: '5500', city: 'Dinant', province: 'Namur' },
  contact: { email: 'contact@asbl-matrice.demo' },
  servicesOffered: ['Accueil'],
};

const organisationIn = (f: MatrixFixtures, role: StaffRole, scope: Scope) =>
  scope === 'own' ? f.organisationOf(role) : f.otherOrganisationOf(role);

const get = (path: string): MatrixRequest => ({ method: 'GET', path });
const put = (path: string, body: unknown): MatrixRequest => ({ method: 'PUT', path, body });
const post = (path: string, body?: unknown): MatrixRequest => ({ method: 'POST', path, body });

/** A case event the role's organisation may log on the case. */
const eventFor = (role: StaffRole) =>
  role === 'saj_delegate'
    ? { type: 'AidProgrammeChanged', occurredOn: '2026-11-19', programme: 'in_family_support' }
    : {
        type: 'InformationSharedOutsideRelais',
        occurredOn: '2026-11-19',
        channel: 'phone',
        sharedWith: 'saj-dinant',
        about: 'RisSuppressed',
      };

export const AUTHORIZATION_MATRIX: Readonly<Record<string, OperationRule>> = {
  'POST /api/v1/auth/token': {
    public: true,
    expect: everyone(200),
    request: () =>
      post('/api/v1/auth/token', { email: 'as@cpas-ciney.demo', password: 'relais-demo' }),
  },
  'GET /api/v1/auth/options': {
    public: true,
    expect: everyone(200),
    request: () => get('/api/v1/auth/options'),
  },
  // This deployment has local accounts and no provider registered for the login page.
  'POST /api/v1/auth/oidc': {
    public: true,
    expect: everyone(404),
    request: () =>
      post('/api/v1/auth/oidc', {
        code: 'a-code',
        codeVerifier: 'dBjftJeZ4CVP-mJ92IXRBzS6Ph2dQmtEQNKDRn1Gv0k',
        redirectUri: 'http://127.0.0.1/auth/callback',
        nonce: 'a-nonce-of-the-tab-1234',
      }),
  },
  'POST /api/v1/auth/sign-out': {
    public: true,
    expect: everyone(204),
    request: () => post('/api/v1/auth/sign-out', {}),
  },
  'GET /health/live': { public: true, expect: everyone(200), request: () => get('/health/live') },
  'GET /health/ready': { public: true, expect: everyone(200), request: () => get('/health/ready') },

  'GET /api/v1/me': { expect: everyone(200), request: () => get('/api/v1/me') },

  // The directory of the network is open to its staff.
  'GET /api/v1/organisations': {
    expect: everyone(200),
    request: () => get('/api/v1/organisations'),
  },
  'GET /api/v1/organisations/{id}': {
    expect: everyone(200),
    request: (f, role, scope) => get(`/api/v1/organisations/${organisationIn(f, role, scope)}`),
  },
  'POST /api/v1/organisations': {
    expect: only({ admin: 201 }),
    request: (f) => {
      const id = `asbl-matrice-${f.unique()}`;
      return post('/api/v1/organisations', {
        id,
        name: 'ASBL Matrice',
        kind: 'OTHER',
        territory: { kind: 'communes', communes: ['91030'] },
        contactEmail: `contact@${id}.demo`,
      });
    },
  },
  'PATCH /api/v1/organisations/{id}': {
    expect: ADMINISTRATION(200),
    request: (f, role, scope) => ({
      method: 'PATCH',
      path: `/api/v1/organisations/${organisationIn(f, role, scope)}`,
      body: { closureDays: ['2026-12-24'] },
    }),
  },
  'GET /api/v1/staff': { expect: everyone(200), request: () => get('/api/v1/staff') },
  'POST /api/v1/staff': {
    expect: ADMINISTRATION(201),
    request: (f, role, scope) => {
      const organisationId = organisationIn(f, role, scope);
      return post('/api/v1/staff', {
        organisationId,
        name: 'Personne Matrice',
        email: `matrice-${f.unique()}@${organisationId}.demo`,
        roles: [organisationId.startsWith('saj') ? 'saj_delegate' : 'social_worker'],
      });
    },
  },
  'PATCH /api/v1/staff/{id}': {
    expect: ADMINISTRATION(200),
    request: async (f, role, scope) => ({
      method: 'PATCH',
      path: `/api/v1/staff/${await f.freshStaff(organisationIn(f, role, scope))}`,
      body: { name: 'Personne Renommée' },
    }),
  },
  'POST /api/v1/staff/{id}/deactivate': {
    expect: ADMINISTRATION(200),
    request: async (f, role, scope) =>
      post(`/api/v1/staff/${await f.freshStaff(organisationIn(f, role, scope))}/deactivate`),
  },
  'POST /api/v1/staff/{id}/reactivate': {
    expect: ADMINISTRATION(200),
    request: async (f, role, scope) =>
      post(`/api/v1/staff/${await f.freshStaff(organisationIn(f, role, scope))}/reactivate`),
  },
  'GET /api/v1/communes': { expect: everyone(200), request: () => get('/api/v1/communes') },

  // Case content: the partners' case workers only; managers see figures, never cases.
  'POST /api/v1/cases': {
    caseData: true,
    expect: only({ social_worker: 201, saj_delegate: 201 }),
    request: () =>
      post('/api/v1/cases', {
        occurredOn: '2026-11-16',
        residenceCommune: '91030',
        legalBasis: 'legal_obligation',
        familyMembers: [{ role: 'parent', firstName: 'Maxime', lastName: 'Matrice' }],
      }),
  },
  'POST /api/v1/cases/preview': {
    caseData: true,
    expect: only({ social_worker: 200, saj_delegate: 200 }),
    request: () =>
      post('/api/v1/cases/preview', {
        occurredOn: '2026-11-16',
        residenceCommune: '91030',
        legalBasis: 'legal_obligation',
        familyMembers: [
          { role: 'parent', firstName: 'Maxime', lastName: 'Matrice', niss: '85073003328' },
        ],
      }),
  },
  'GET /api/v1/cases': {
    caseData: true,
    expect: only({ social_worker: 200, saj_delegate: 200 }),
    request: () => get('/api/v1/cases'),
  },
  'GET /api/v1/cases/{id}': {
    caseData: true,
    expect: only(CASE_WORK(200)),
    request: (f, role, scope) => get(`/api/v1/cases/${f.caseFor(role, scope)}`),
  },
  'GET /api/v1/cases/{id}/timeline': {
    caseData: true,
    expect: only(CASE_WORK(200)),
    request: (f, role, scope) => get(`/api/v1/cases/${f.caseFor(role, scope)}/timeline`),
  },
  'GET /api/v1/cases/{id}/obligations': {
    caseData: true,
    expect: only(CASE_WORK(200)),
    request: (f, role, scope) => get(`/api/v1/cases/${f.caseFor(role, scope)}/obligations`),
  },
  'POST /api/v1/cases/{id}/events/preview': {
    caseData: true,
    expect: only(CASE_WORK(200)),
    request: (f, role, scope) =>
      post(`/api/v1/cases/${f.caseFor(role, scope)}/events/preview`, eventFor(role)),
  },
  // A referral's recipient sees the reference and the sender, never the family, until it accepts.
  'GET /api/v1/referrals': {
    caseData: true,
    expect: only({ social_worker: 200, saj_delegate: 200 }),
    request: () => get('/api/v1/referrals'),
  },
  'POST /api/v1/cases/{id}/events': {
    caseData: true,
    expect: only(CASE_WORK(201)),
    request: (f, role, scope) =>
      post(`/api/v1/cases/${f.caseFor(role, scope)}/events`, eventFor(role)),
  },

  // What partners must tell each other.
  'GET /api/v1/inbox': {
    caseData: true,
    expect: only({ social_worker: 200, saj_delegate: 200, manager: 200 }),
    request: () => get('/api/v1/inbox'),
  },
  'GET /api/v1/outgoing': {
    caseData: true,
    expect: only({ social_worker: 200, saj_delegate: 200, manager: 200 }),
    request: () => get('/api/v1/outgoing'),
  },
  'POST /api/v1/notifications/{id}/acknowledge': {
    caseData: true,
    expect: only({
      social_worker: { own: 200, other: 404 },
      saj_delegate: { own: 200, other: 404 },
      manager: { own: 200, other: 404 },
    }),
    request: async (f, role, scope) =>
      post(
        `/api/v1/notifications/${await f.freshNotification(organisationIn(f, role, scope))}/acknowledge`,
      ),
  },

  // An organisation's webhook: its managers and the admins.
  'PUT /api/v1/organisations/{organisationId}/webhook': {
    expect: ADMINISTRATION(200),
    request: (f, role, scope) => ({
      method: 'PUT',
      path: `/api/v1/organisations/${organisationIn(f, role, scope)}/webhook`,
      body: { url: 'http://127.0.0.1:9/relais/webhook' },
    }),
  },
  'GET /api/v1/organisations/{organisationId}/webhook': {
    expect: ADMINISTRATION(200),
    request: async (f, role, scope) => {
      const organisationId = organisationIn(f, role, scope);
      await f.webhookOf(organisationId);
      return get(`/api/v1/organisations/${organisationId}/webhook`);
    },
  },
  'DELETE /api/v1/organisations/{organisationId}/webhook': {
    expect: ADMINISTRATION(204),
    request: async (f, role, scope) => {
      const organisationId = organisationIn(f, role, scope);
      await f.webhookOf(organisationId);
      return { method: 'DELETE', path: `/api/v1/organisations/${organisationId}/webhook` };
    },
  },
  'GET /api/v1/organisations/{organisationId}/webhook/deliveries': {
    expect: ADMINISTRATION(200),
    request: (f, role, scope) =>
      get(`/api/v1/organisations/${organisationIn(f, role, scope)}/webhook/deliveries`),
  },
  'POST /api/v1/organisations/{organisationId}/webhook/deliveries/{deliveryId}/retry': {
    // No such dead letter: 404 to whoever may look, 403 to whoever may not.
    expect: ADMINISTRATION(404),
    request: (f, role, scope) =>
      post(
        `/api/v1/organisations/${organisationIn(f, role, scope)}/webhook/deliveries/00000000-0000-4000-8000-000000000000/retry`,
      ),
  },

  // Compliance: figures for management, open obligations for case workers; no case content.
  'GET /api/v1/compliance/summary': {
    expect: only({ manager: { own: 200, other: 403 }, coordinator: 200, admin: 200 }),
    request: (f, role, scope) =>
      get(`/api/v1/compliance/summary?organisation=${organisationIn(f, role, scope)}`),
  },
  'GET /api/v1/compliance/obligations': {
    expect: only({
      social_worker: { own: 200, other: 403 },
      saj_delegate: { own: 200, other: 403 },
      manager: { own: 200, other: 403 },
      coordinator: 200,
      admin: 200,
    }),
    request: (f, role, scope) =>
      get(
        `/api/v1/compliance/obligations?status=open&organisation=${organisationIn(f, role, scope)}`,
      ),
  },
  'GET /api/v1/compliance/report.csv': {
    expect: only({ manager: { own: 200, other: 403 }, coordinator: 200, admin: 200 }),
    request: (f, role, scope) =>
      get(
        `/api/v1/compliance/report.csv?month=2026-11&organisation=${organisationIn(f, role, scope)}`,
      ),
  },
  'GET /api/v1/compliance/report.pdf': {
    expect: only({ manager: { own: 200, other: 403 }, coordinator: 200, admin: 200 }),
    request: (f, role, scope) =>
      get(
        `/api/v1/compliance/report.pdf?month=2026-11&organisation=${organisationIn(f, role, scope)}`,
      ),
  },

  // The access log: the DPO's alone.
  'GET /api/v1/access-log': {
    caseData: true,
    expect: only({ dpo: 200 }),
    request: () => get('/api/v1/access-log?limit=50'),
  },
  'GET /api/v1/dpo/subjects': {
    caseData: true,
    expect: only({ dpo: 200 }),
    request: () => get('/api/v1/dpo/subjects?niss=85073003328'),
  },
  'GET /api/v1/dpo/subjects/{id}/report': {
    caseData: true,
    // A person Relais holds nothing about: only the DPO learns it.
    expect: only({ dpo: 404 }),
    request: () => get('/api/v1/dpo/subjects/3f0c1a52-9d7e-4c1b-8a44-6f2d9e0b7c15/report'),
  },

  // Erasure and retention: the DPO erases and sees what expires; an admin sets the periods.
  'POST /api/v1/erasures': {
    // A person no case lists: only the DPO learns that (the erasure itself: erasure.e2e.spec.ts).
    caseData: true,
    expect: only({ dpo: 404 }),
    request: () =>
      post('/api/v1/erasures', {
        subjectId: '0b7e2f4c-9a51-4d3e-8c61-5f2a7d9e1b30',
        reason: 'data_subject_request',
      }),
  },
  'GET /api/v1/erasures': {
    caseData: true,
    expect: only({ dpo: 200 }),
    request: () => get('/api/v1/erasures'),
  },
  'GET /api/v1/organisations/{id}/retention': {
    expect: only({ admin: 200, dpo: 200 }),
    request: (f, role, scope) =>
      get(`/api/v1/organisations/${organisationIn(f, role, scope)}/retention`),
  },
  'PUT /api/v1/organisations/{id}/retention': {
    expect: only({ admin: 200 }),
    request: (f, role, scope) => ({
      method: 'PUT',
      path: `/api/v1/organisations/${organisationIn(f, role, scope)}/retention`,
      body: { years: 10 },
    }),
  },
  'GET /api/v1/retention/expiring': {
    caseData: true,
    expect: only({ dpo: 200 }),
    request: () => get('/api/v1/retention/expiring?days=30'),
  },

  // Operations.
  'GET /api/v1/admin/projections': {
    expect: only({ admin: 200 }),
    request: () => get('/api/v1/admin/projections'),
  },
  'POST /api/v1/admin/projections/{name}/rebuild': {
    // An unknown read model: only an admin learns that it is unknown.
    expect: only({ admin: 404 }),
    request: () => post('/api/v1/admin/projections/no-such-read-model/rebuild'),
  },

  // The coordination sociale: the coordinator keeps it; members read the bodies they sit in.
  'GET /api/v1/coordination/members': {
    expect: everyone(200),
    request: () => get('/api/v1/coordination/members'),
  },
  'POST /api/v1/coordination/members': {
    expect: COORDINATOR(201),
    request: () => post('/api/v1/coordination/members', A_MEMBER_SERVICE),
  },
  'PATCH /api/v1/coordination/members/{id}': {
    expect: COORDINATOR(200),
    request: async (f) => ({
      method: 'PATCH',
      path: `/api/v1/coordination/members/${await f.coordination.member()}`,
      body: { fields: ['health'] },
    }),
  },
  'POST /api/v1/coordination/members/{id}/charter': {
    expect: COORDINATOR(200),
    request: async (f) =>
      post(`/api/v1/coordination/members/${await f.coordination.member()}/charter`, {
        signedOn: '2026-11-20',
      }),
  },
  'GET /api/v1/coordination/members/hsds': {
    expect: everyone(200),
    request: () => get('/api/v1/coordination/members/hsds'),
  },
  'POST /api/v1/coordination/members/hsds': {
    // The same organisation each time: registered once, then updated.
    expect: COORDINATOR(200),
    request: () =>
      post('/api/v1/coordination/members/hsds', {
        contents: [
          {
            id: 'c0ffee00-0000-4000-8000-000000000001',
            name: 'Maison médicale Matrice',
            email: 'accueil@mm-matrice.demo',
            locations: [
              {
                addresses: [
                  {
                    address_1: 'Rue Sax 1',
                    city: 'Dinant',
                    state_province: 'Namur',
                    postal_code: '5500',
                  },
                ],
              },
            ],
          },
        ],
      }),
  },
  'GET /api/v1/coordination/bodies': {
    expect: everyone(200),
    request: () => get('/api/v1/coordination/bodies'),
  },
  'POST /api/v1/coordination/bodies': {
    expect: COORDINATOR(201),
    request: () =>
      post('/api/v1/coordination/bodies', {
        kind: 'working_group',
        name: 'Groupe de travail Matrice',
        theme: 'Jeunesse',
      }),
  },
  'GET /api/v1/coordination/bodies/{id}': {
    expect: BODY_MEMBERS(200),
    request: async (f, role, scope) =>
      get(`/api/v1/coordination/bodies/${(await f.coordination.body(role, scope)).bodyId}`),
  },
  'GET /api/v1/coordination/bodies/{id}/meetings': {
    expect: BODY_MEMBERS(200),
    request: async (f, role, scope) =>
      get(
        `/api/v1/coordination/bodies/${(await f.coordination.body(role, scope)).bodyId}/meetings`,
      ),
  },
  'POST /api/v1/coordination/bodies/{id}/members': {
    expect: COORDINATOR(201),
    request: async (f, role, scope) =>
      post(
        `/api/v1/coordination/bodies/${(await f.coordination.body(role, scope)).bodyId}/members`,
        {
          kind: 'person',
          name: 'Personne Matrice',
          email: `matrice-${f.unique()}@relais.demo`,
        },
      ),
  },
  'DELETE /api/v1/coordination/bodies/{id}/members/{key}': {
    expect: COORDINATOR(200),
    request: async (f) => {
      const { bodyId, memberKey } = await f.coordination.body('coordinator', 'own');
      return {
        method: 'DELETE',
        path: `/api/v1/coordination/bodies/${bodyId}/members/${memberKey}`,
      };
    },
  },
  'POST /api/v1/coordination/meetings': {
    expect: COORDINATOR(201),
    request: async (f, role, scope) =>
      post('/api/v1/coordination/meetings', {
        bodyId: (await f.coordination.body(role, scope)).bodyId,
        date: '2026-12-10',
        place: 'CPAS de Dinant',
        agenda: ['Tour de table'],
      }),
  },
  'GET /api/v1/coordination/meetings/{id}': {
    expect: BODY_MEMBERS(200),
    request: async (f, role, scope) =>
      get(
        `/api/v1/coordination/meetings/${(await f.coordination.meeting(role, scope, 'approved')).meetingId}`,
      ),
  },
  'GET /api/v1/coordination/meetings/{id}/minutes.pdf': {
    expect: BODY_MEMBERS(200),
    request: async (f, role, scope) =>
      get(
        `/api/v1/coordination/meetings/${(await f.coordination.meeting(role, scope, 'approved')).meetingId}/minutes.pdf`,
      ),
  },
  'PUT /api/v1/coordination/meetings/{id}/attendance': {
    expect: COORDINATOR(200),
    request: async (f, role, scope) =>
      put(
        `/api/v1/coordination/meetings/${(await f.coordination.meeting(role, scope, 'convened')).meetingId}/attendance`,
        { attendance: [] },
      ),
  },
  'PUT /api/v1/coordination/meetings/{id}/minutes': {
    expect: COORDINATOR(200),
    request: async (f, role, scope) =>
      put(
        `/api/v1/coordination/meetings/${(await f.coordination.meeting(role, scope, 'convened')).meetingId}/minutes`,
        { text: 'Les services présentent leurs actions.' },
      ),
  },
  'POST /api/v1/coordination/meetings/{id}/minutes/approval': {
    expect: COORDINATOR(200),
    request: async (f, role, scope) => {
      const { meetingId, nextMeetingId } = await f.coordination.meeting(role, scope, 'drafted');
      return post(`/api/v1/coordination/meetings/${meetingId}/minutes/approval`, {
        approvedAtMeetingId: nextMeetingId,
      });
    },
  },
  'POST /api/v1/coordination/meetings/{id}/minutes/distribution': {
    expect: COORDINATOR(200),
    request: async (f, role, scope) =>
      post(
        `/api/v1/coordination/meetings/${(await f.coordination.meeting(role, scope, 'approved')).meetingId}/minutes/distribution`,
      ),
  },
  'POST /api/v1/coordination/meetings/{id}/protocols': {
    expect: COORDINATOR(200),
    request: async (f, role, scope) =>
      post(
        `/api/v1/coordination/meetings/${(await f.coordination.meeting(role, scope, 'convened')).meetingId}/protocols`,
        { protocolId: 'dinant-cpas-saj' },
      ),
  },
  'GET /api/v1/coordination/protocols/{protocolId}/origins': {
    expect: everyone(200),
    request: () => get('/api/v1/coordination/protocols/dinant-cpas-saj/origins'),
  },
  'GET /api/v1/coordination/meetings/{id}/deliveries': {
    expect: COORDINATOR(200),
    request: async (f, role, scope) =>
      get(
        `/api/v1/coordination/meetings/${(await f.coordination.meeting(role, scope, 'approved')).meetingId}/deliveries`,
      ),
  },
  'GET /api/v1/coordination/minutes': {
    expect: everyone(200),
    request: () => get('/api/v1/coordination/minutes'),
  },
  'GET /api/v1/coordination/officials': {
    expect: COORDINATOR(200),
    request: () => get('/api/v1/coordination/officials'),
  },
  'POST /api/v1/coordination/officials': {
    expect: COORDINATOR(201),
    request: (f) =>
      post('/api/v1/coordination/officials', {
        name: 'Élu Matrice',
        role: 'Échevin des affaires sociales',
        email: `elu-${f.unique()}@relais.demo`,
      }),
  },
  'PATCH /api/v1/coordination/officials/{id}': {
    expect: COORDINATOR(200),
    request: async (f) => ({
      method: 'PATCH',
      path: `/api/v1/coordination/officials/${await f.coordination.official()}`,
      body: { role: 'Président du CPAS' },
    }),
  },
  'DELETE /api/v1/coordination/officials/{id}': {
    expect: COORDINATOR(200),
    request: async (f) => ({
      method: 'DELETE',
      path: `/api/v1/coordination/officials/${await f.coordination.official()}`,
    }),
  },

  // Protocols: drafted by the coordination or an admin, signed by each signatory's management.
  'POST /api/v1/protocols': {
    expect: only({ coordinator: 201, admin: 201 }),
    request: (f) => ({
      method: 'POST',
      path: '/api/v1/protocols',
      body: f.newProtocolDocument(),
      contentType: 'application/yaml',
    }),
  },
  'GET /api/v1/protocols': { expect: everyone(200), request: () => get('/api/v1/protocols') },
  'GET /api/v1/protocols/{id}': {
    expect: everyone(200),
    request: () => get('/api/v1/protocols/dinant-cpas-saj'),
  },
  'POST /api/v1/protocols/{id}/versions/{version}/signatures': {
    // For the caller's own organisation only: signing a protocol one's organisation is not party to is refused.
    expect: only({ manager: { own: 201, other: 422 }, admin: { own: 201, other: 422 } }),
    request: async (f, role, scope) =>
      post(
        `/api/v1/protocols/${await f.freshProtocol(
          scope === 'own' ? [f.organisationOf(role), 'cpas-ciney'] : ['cpas-ciney', 'cpas-dinant'],
        )}/versions/1/signatures`,
      ),
  },
  'POST /api/v1/protocols/{id}/simulate': {
    expect: only({
      social_worker: 200,
      saj_delegate: 200,
      manager: 200,
      coordinator: 200,
      admin: 200,
    }),
    request: () =>
      post('/api/v1/protocols/dinant-cpas-saj/simulate', {
        event: {
          type: 'RisSuppressed',
          occurredOn: '2026-11-19',
          reason: 'resources_above_threshold',
          effectiveOn: '2026-12-01',
        },
        obligedOrganisationId: 'cpas-ciney',
        partners: ['saj-dinant'],
      }),
  },
};
