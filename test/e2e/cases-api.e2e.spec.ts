import { SubjectVault } from '@relais/vault';
import { apiOf, joinedBy } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A RIS suppression, as a CPAS social worker logs it. */
const RIS_SUPPRESSION = {
  type: 'RisSuppressed',
  occurredOn: '2026-11-19',
  reason: 'other',
  effectiveOn: '2026-11-19',
};

const FAMILY = [
  {
    role: 'parent',
    firstName: 'Marie-Claude',
    lastName: 'Vandenbroucke',
    birthDate: '1987-06-15',
    niss: '87061512335',
    address: { street: 'Rue des Tanneurs 12', postalCode: '5590', municipality: 'Ciney' },
  },
  { role: 'child', firstName: 'Théodore', lastName: 'Vandenbroucke', birthDate: '2013-02-03' },
];

describe('the cases API', () => {
  let relais: TestRelais;
  let as: string; // social worker, CPAS Ciney
  let delegue: string; // SAJ Dinant
  let spj: string; // SPJ Dinant
  let asDinant: string; // social worker, CPAS Dinant: never a partner
  let chef: string; // manager, CPAS Ciney

  beforeAll(async () => {
    relais = await startTestRelais();
    as = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    spj = await relais.token('delegue@spj-dinant.demo');
    asDinant = await relais.token('as@cpas-dinant.demo');
    chef = await relais.token('chef@cpas-ciney.demo');
  });
  afterAll(() => relais.close());

  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const response = await fetch(`${relais.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as T,
      headers: response.headers,
    };
  }

  async function openCase(token = as) {
    const opened = await call<{ caseId: string; version: number }>('POST', '/api/v1/cases', token, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: FAMILY,
    });
    expect(opened.status).toBe(201);
    return opened.body.caseId;
  }

  const log = (
    caseId: string,
    token: string,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ) =>
    call<{ eventIds: string[]; version: number; code?: string; errors?: { field: string }[] }>(
      'POST',
      `/api/v1/cases/${caseId}/events`,
      token,
      body,
      headers,
    );

  const joinSaj = (caseId: string) =>
    joinedBy(apiOf(relais), as, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' }, delegue);

  describe('POST /api/v1/auth/token', () => {
    it('answers 401 as problem+json for a wrong password, then 429 after five failures', async () => {
      const wrong = await call('POST', '/api/v1/auth/token', undefined, {
        email: 'chef@cpas-yvoir.demo',
        password: 'nope',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('content-type')).toContain('application/problem+json');
      expect(wrong.body).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
      for (let i = 0; i < 4; i++) {
        await call('POST', '/api/v1/auth/token', undefined, {
          email: 'chef@cpas-yvoir.demo',
          password: 'nope',
        });
      }
      const limited = await call('POST', '/api/v1/auth/token', undefined, {
        email: 'chef@cpas-yvoir.demo',
        password: 'relais-demo',
      });
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    });

    it('answers 400 naming the field for a malformed e-mail', async () => {
      const bad = await call('POST', '/api/v1/auth/token', undefined, {
        email: 'not-an-email',
        password: 'x',
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'email' }] });
    });
  });

  describe('GET /api/v1/me', () => {
    it('needs a token, and tells who the caller is', async () => {
      const anonymous = await call('GET', '/api/v1/me');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
      const me = await call('GET', '/api/v1/me', delegue);
      expect(me.body).toMatchObject({
        email: 'delegue1@saj-dinant.demo',
        organisationId: 'saj-dinant',
        roles: ['saj_delegate'],
      });
    });
  });

  describe('the network', () => {
    it('GET /api/v1/communes routes each commune to its CPAS and SAJ, outside Dinant too', async () => {
      const { body } = await call<{ ins: string; cpasId: string; sajId: string }[]>(
        'GET',
        '/api/v1/communes',
        as,
      );
      expect(body.find((c) => c.ins === '91030')).toMatchObject({
        cpasId: 'cpas-ciney',
        sajId: 'saj-dinant',
      });
      expect(body.find((c) => c.ins === '92094')).toMatchObject({
        cpasId: 'cpas-namur',
        sajId: 'saj-namur',
      });
    });

    it('GET /api/v1/organisations/:id answers 404 for an unknown one', async () => {
      expect((await call('GET', '/api/v1/organisations/cpas-ciney', as)).body).toMatchObject({
        kind: 'CPAS',
      });
      expect((await call('GET', '/api/v1/organisations/nowhere', as)).status).toBe(404);
    });

    it('POST /api/v1/staff: a manager adds staff to their own organisation only; a social worker cannot', async () => {
      const added = await call('POST', '/api/v1/staff', chef, {
        organisationId: 'cpas-ciney',
        name: 'Nouvelle AS',
        email: 'nouvelle@cpas-ciney.demo',
        roles: ['social_worker'],
        password: 'un-mot-de-passe-long',
      });
      expect(added.status).toBe(201);
      const elsewhere = await call('POST', '/api/v1/staff', chef, {
        organisationId: 'cpas-dinant',
        name: 'X',
        email: 'x@cpas-dinant.demo',
        roles: ['social_worker'],
      });
      expect(elsewhere.status).toBe(400);
      expect(
        (
          await call('POST', '/api/v1/staff', as, {
            organisationId: 'cpas-ciney',
            name: 'Y',
            email: 'y@x.be',
            roles: ['manager'],
          })
        ).status,
      ).toBe(403);
      const again = await call('POST', '/api/v1/staff', chef, {
        organisationId: 'cpas-ciney',
        name: 'Nouvelle AS',
        email: 'NOUVELLE@cpas-ciney.demo',
        roles: ['social_worker'],
      });
      expect(again.status).toBe(422);
      expect(again.body).toMatchObject({ code: 'STAFF_EMAIL_TAKEN' });
    });
  });

  describe('POST /api/v1/cases and POST /api/v1/cases/:id/events', () => {
    it('runs a case through the five protocol events and the others, and shows the timeline', async () => {
      const caseId = await openCase();
      await joinSaj(caseId);

      const steps: [string, Record<string, unknown>][] = [
        [
          as,
          {
            type: 'RisSuppressed',
            occurredOn: '2026-11-16',
            reason: 'resources_above_threshold',
            effectiveOn: '2026-12-01',
          },
        ],
        [
          delegue,
          { type: 'AidProgrammeChanged', occurredOn: '2026-11-17', programme: 'in_family_support' },
        ],
        [
          as,
          {
            type: 'ReferralSent',
            occurredOn: '2026-11-17',
            to: 'spj-dinant',
            reason: 'youth_aid_needed',
          },
        ],
        [
          as,
          {
            type: 'InformationSharedOutsideRelais',
            occurredOn: '2026-11-17',
            channel: 'phone',
            sharedWith: 'saj-dinant',
            about: 'RisSuppressed',
          },
        ],
        [
          delegue,
          { type: 'CaseJudicialised', occurredOn: '2026-11-18', to: 'tribunal_de_la_jeunesse' },
        ],
        [
          as,
          {
            type: 'FamilyRelocated',
            occurredOn: '2026-11-19',
            destinationCommune: '91114',
            effectiveOn: '2026-11-19',
          },
        ],
        [delegue, { type: 'CaseClosed', occurredOn: '2026-11-20', reason: 'handed_over' }],
      ];
      for (const [token, body] of steps) {
        const logged = await log(caseId, token, body);
        expect([body.type, logged.status]).toEqual([body.type, 201]);
      }
      const view = await call<{
        referrals: { referralId: string; to: string }[];
        family: unknown[];
        residenceCommune: unknown;
        partners: unknown[];
      }>('GET', `/api/v1/cases/${caseId}`, as);
      const referralId = view.body.referrals.find((r) => r.to === 'spj-dinant')?.referralId;
      const accepted = await log(caseId, spj, {
        type: 'ReferralAccepted',
        occurredOn: '2026-11-20',
        referralId,
        assignedStaffIds: [],
        legalBasis: 'judicial_mandate',
      });
      expect(accepted.status).toBe(201);
      expect(
        (await log(caseId, spj, { type: 'PartnerLeft', occurredOn: '2026-11-20' })).status,
      ).toBe(201);

      // The move offered the case to the CPAS of Rochefort, which declines it.
      const asRochefort = await relais.token('as@cpas-rochefort.demo');
      const toRochefort = (
        await call<{ referrals: { referralId: string; to: string }[] }>(
          'GET',
          `/api/v1/cases/${caseId}`,
          asRochefort,
        )
      ).body.referrals.find((r) => r.to === 'cpas-rochefort');
      const declined = await log(caseId, asRochefort, {
        type: 'ReferralDeclined',
        occurredOn: '2026-11-20',
        referralId: toRochefort?.referralId,
        reason: 'no_capacity',
      });
      expect(declined.status).toBe(201);
      expect((await call('GET', `/api/v1/cases/${caseId}`, asRochefort)).status).toBe(404);

      const final = await call<Record<string, unknown>>('GET', `/api/v1/cases/${caseId}`, as);
      expect(final.headers.get('etag')).toBe(`"${final.body.version as number}"`);
      expect(final.body).toMatchObject({
        status: 'open',
        residenceCommune: { ins: '91114', name: 'Rochefort' },
        family: [
          { role: 'parent', erased: false, firstName: 'Marie-Claude', niss: '87061512335' },
          { role: 'child', erased: false, firstName: 'Théodore' },
        ],
      });
      expect(final.body.partners).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ organisationId: 'cpas-ciney', status: 'active' }),
          expect.objectContaining({ organisationId: 'saj-dinant', status: 'closed' }),
          expect.objectContaining({ organisationId: 'spj-dinant', status: 'left' }),
        ]),
      );

      const timeline = await call<{ type: string; occurredOn: string; organisationId: string }[]>(
        'GET',
        `/api/v1/cases/${caseId}/timeline`,
        delegue,
      );
      expect(timeline.body.map((e) => e.type)).toEqual([
        'CaseOpened',
        'PartnerJoined',
        'ReferralSent',
        'ReferralAccepted',
        'PartnerJoined',
        'RisSuppressed',
        'AidProgrammeChanged',
        'ReferralSent',
        'InformationSharedOutsideRelais',
        'CaseJudicialised',
        'FamilyRelocated',
        'ReferralSent',
        'CaseClosed',
        'ReferralAccepted',
        'PartnerJoined',
        'PartnerLeft',
        'ReferralDeclined',
      ]);
      expect(timeline.body[5]).toMatchObject({
        occurredOn: '2026-11-16',
        organisationId: 'cpas-ciney',
      });

      await eventually(async () => {
        const listed = await call<{ items: { caseId: string; version: number }[] }>(
          'GET',
          '/api/v1/cases?status=open',
          delegue,
        );
        return listed.body.items.some(
          (c) => c.caseId === caseId && c.version === final.body.version,
        );
      });
    });

    it('refuses each rule with 422 and a stable code, writing nothing', async () => {
      const caseId = await openCase();
      await joinSaj(caseId);
      const refusals: [string, Record<string, unknown>, string, string?][] = [
        [
          as,
          { type: 'CaseJudicialised', occurredOn: '2026-11-18', to: 'spj' },
          'WRONG_ORGANISATION_KIND',
        ],
        [
          as,
          { type: 'AidProgrammeChanged', occurredOn: '2026-11-18', programme: 'other' },
          'WRONG_ORGANISATION_KIND',
        ],
        [
          delegue,
          {
            type: 'RisSuppressed',
            occurredOn: '2026-11-18',
            reason: 'other',
            effectiveOn: '2026-11-18',
          },
          'WRONG_ORGANISATION_KIND',
        ],
        [
          delegue,
          {
            type: 'FamilyRelocated',
            occurredOn: '2026-11-18',
            destinationCommune: '91114',
            effectiveOn: '2026-11-18',
          },
          'WRONG_ORGANISATION_KIND',
        ],
        [
          as,
          { type: 'CaseClosed', occurredOn: '2026-11-21', reason: 'other' },
          'OCCURRED_IN_FUTURE',
          'occurredOn',
        ],
        [
          as,
          { type: 'CaseClosed', occurredOn: '2026-10-01', reason: 'other' },
          'OCCURRED_BEFORE_CASE_OPENED',
          'occurredOn',
        ],
        [
          as,
          {
            type: 'FamilyRelocated',
            occurredOn: '2026-11-18',
            destinationCommune: '99999',
            effectiveOn: '2026-11-18',
          },
          'UNKNOWN_COMMUNE',
          'destinationCommune',
        ],
        [
          delegue,
          {
            type: 'ReferralSent',
            occurredOn: '2026-11-18',
            to: 'cpas-ciney',
            reason: 'joint_follow_up',
          },
          'ALREADY_A_PARTNER',
          'to',
        ],
      ];
      const before = (await call<unknown[]>('GET', `/api/v1/cases/${caseId}/timeline`, as)).body
        .length;
      for (const [token, body, code, field] of refusals) {
        const refused = await log(caseId, token, body);
        expect([body.type, refused.status, refused.body.code]).toEqual([body.type, 422, code]);
        if (field) expect(refused.body.errors?.[0]?.field).toBe(field);
      }
      expect(
        (await call<unknown[]>('GET', `/api/v1/cases/${caseId}/timeline`, as)).body,
      ).toHaveLength(before);
    });

    it('refuses a join relying on a withdrawn consent', async () => {
      const caseId = await openCase();
      const view = await call<{ family: { subjectId: string }[] }>(
        'GET',
        `/api/v1/cases/${caseId}`,
        as,
      );
      const givenBy = view.body.family[0]?.subjectId;
      expect(
        (
          await log(caseId, as, {
            type: 'ConsentRecorded',
            occurredOn: '2026-11-10',
            givenBy,
            sharingWith: ['spj-dinant'],
          })
        ).status,
      ).toBe(201);
      const consentId = (
        await call<{ consents: { consentId: string }[] }>('GET', `/api/v1/cases/${caseId}`, as)
      ).body.consents[0]?.consentId;
      expect(
        (await log(caseId, as, { type: 'ConsentWithdrawn', occurredOn: '2026-11-11', consentId }))
          .status,
      ).toBe(201);
      expect(
        (
          await log(caseId, as, {
            type: 'ReferralSent',
            occurredOn: '2026-11-12',
            to: 'spj-dinant',
            reason: 'joint_follow_up',
          })
        ).status,
      ).toBe(201);
      const referralId = (
        await call<{ referrals: { referralId: string }[] }>('GET', `/api/v1/cases/${caseId}`, as)
      ).body.referrals[0]?.referralId;
      const join = await log(caseId, await relais.token('delegue@spj-dinant.demo'), {
        type: 'ReferralAccepted',
        occurredOn: '2026-11-12',
        referralId,
        assignedStaffIds: [],
        legalBasis: 'family_informed_consent',
      });
      expect(join.status).toBe(422);
      expect(join.body.code).toBe('NO_ACTIVE_CONSENT');
    });

    it('refuses a partner whose file is closed, and everything once the case has ended', async () => {
      const caseId = await openCase();
      await joinSaj(caseId);
      expect(
        (
          await log(caseId, delegue, {
            type: 'CaseClosed',
            occurredOn: '2026-11-19',
            reason: 'objectives_reached',
          })
        ).status,
      ).toBe(201);
      const closed = await log(caseId, delegue, {
        type: 'AidProgrammeChanged',
        occurredOn: '2026-11-19',
        programme: 'other',
      });
      expect(closed.body.code).toBe('PARTNER_FILE_CLOSED');
      expect(
        (
          await log(caseId, as, {
            type: 'CaseClosed',
            occurredOn: '2026-11-19',
            reason: 'objectives_reached',
          })
        ).status,
      ).toBe(201);
      const ended = await log(caseId, as, {
        type: 'RisSuppressed',
        occurredOn: '2026-11-19',
        reason: 'other',
        effectiveOn: '2026-11-19',
      });
      expect([ended.status, ended.body.code]).toEqual([422, 'CASE_ENDED']);
      expect((await call('GET', `/api/v1/cases/${caseId}`, as)).body).toMatchObject({
        status: 'ended',
      });
    });

    it('answers 404, not 403, to an organisation that is not a partner, for reads and writes', async () => {
      const caseId = await openCase();
      expect((await call('GET', `/api/v1/cases/${caseId}`, asDinant)).status).toBe(404);
      expect((await call('GET', `/api/v1/cases/${caseId}/timeline`, asDinant)).status).toBe(404);
      const write = await log(caseId, asDinant, {
        type: 'RisSuppressed',
        occurredOn: '2026-11-19',
        reason: 'other',
        effectiveOn: '2026-11-19',
      });
      expect(write.status).toBe(404);
      expect((await call('GET', `/api/v1/cases/${crypto.randomUUID()}`, as)).status).toBe(404);
    });

    it('keeps case work from managers (403)', async () => {
      expect((await call('GET', '/api/v1/cases', chef)).status).toBe(403);
    });

    it('answers 400 naming each bad field', async () => {
      const caseId = await openCase();
      const bad = await log(caseId, as, {
        type: 'RisSuppressed',
        occurredOn: '2026-02-30',
        reason: 'bored',
        extra: true,
      });
      expect(bad.status).toBe(400);
      expect([...new Set(bad.body.errors?.map((e) => e.field))].sort()).toEqual([
        'effectiveOn',
        'extra',
        'occurredOn',
        'reason',
      ]);
      const unknown = await log(caseId, as, { type: 'Teleported', occurredOn: '2026-11-19' });
      expect(unknown.body.errors?.[0]?.field).toBe('type');
      const openBad = await call<{ errors: { field: string }[] }>('POST', '/api/v1/cases', as, {
        occurredOn: '2026-11-19',
        residenceCommune: '91030',
        legalBasis: 'legal_obligation',
        familyMembers: [{ role: 'parent', firstName: 'A', lastName: 'B', niss: '12345678901' }],
      });
      expect(openBad.status).toBe(400);
      expect(openBad.body.errors[0]?.field).toBe('familyMembers.0.niss');
    });

    it('refuses an Idempotency-Key longer than 255 characters or outside printable ASCII, naming it, and writes nothing', async () => {
      const caseId = await openCase();
      const body = RIS_SUPPRESSION;
      for (const key of ['k'.repeat(256), 'clé-1', ' ']) {
        const refused = await log(caseId, as, body, { 'Idempotency-Key': key });
        expect(refused.status).toBe(400);
        expect(refused.body.errors?.[0]?.field).toBe('Idempotency-Key');
      }
      const acknowledge = await call(
        'POST',
        `/api/v1/notifications/${crypto.randomUUID()}/acknowledge`,
        as,
        {},
        { 'Idempotency-Key': 'k'.repeat(256) },
      );
      expect(acknowledge.status).toBe(400);
      expect((acknowledge.body as { errors?: { field: string }[] }).errors?.[0]?.field).toBe(
        'Idempotency-Key',
      );
      const opened = await call(
        'POST',
        '/api/v1/cases',
        as,
        {
          occurredOn: '2026-11-02',
          residenceCommune: '91030',
          legalBasis: 'legal_obligation',
          familyMembers: FAMILY,
        },
        { 'Idempotency-Key': 'k'.repeat(256) },
      );
      expect(opened.status).toBe(400);
      const timeline = await call<{ type: string }[]>(
        'GET',
        `/api/v1/cases/${caseId}/timeline`,
        as,
      );
      expect(timeline.body.filter((e) => e.type === 'RisSuppressed')).toHaveLength(0);
      expect((await log(caseId, as, body, { 'Idempotency-Key': 'k'.repeat(255) })).status).toBe(
        201,
      );
    });

    it('answers a repeated Idempotency-Key with the first answer and appends nothing', async () => {
      const caseId = await openCase();
      const body = RIS_SUPPRESSION;
      const first = await log(caseId, as, body, { 'Idempotency-Key': 'ris-1' });
      const again = await log(caseId, as, body, { 'Idempotency-Key': 'ris-1' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      const timeline = await call<{ type: string }[]>(
        'GET',
        `/api/v1/cases/${caseId}/timeline`,
        as,
      );
      expect(timeline.body.filter((e) => e.type === 'RisSuppressed')).toHaveLength(1);

      const opened = {
        occurredOn: '2026-11-02',
        residenceCommune: '91030',
        legalBasis: 'legal_obligation',
        familyMembers: FAMILY,
      };
      const once = await call('POST', '/api/v1/cases', as, opened, { 'Idempotency-Key': 'open-1' });
      const twice = await call('POST', '/api/v1/cases', as, opened, {
        'Idempotency-Key': 'open-1',
      });
      expect(twice.body).toEqual(once.body);
    });

    it('refuses an Idempotency-Key reused for another body (422 IDEMPOTENCY_KEY_REUSED), appending nothing', async () => {
      const caseId = await openCase();
      const body = RIS_SUPPRESSION;
      expect((await log(caseId, as, body, { 'Idempotency-Key': 'ris-2' })).status).toBe(201);
      const other = await log(
        caseId,
        as,
        { ...body, reason: 'sanction' },
        { 'Idempotency-Key': 'ris-2' },
      );
      expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      const timeline = await call<{ type: string; data: { reason?: string } }[]>(
        'GET',
        `/api/v1/cases/${caseId}/timeline`,
        as,
      );
      expect(
        timeline.body.filter((e) => e.type === 'RisSuppressed').map((e) => e.data.reason),
      ).toEqual(['other']);

      const opened = {
        occurredOn: '2026-11-02',
        residenceCommune: '91030',
        legalBasis: 'legal_obligation',
        familyMembers: FAMILY,
      };
      expect(
        (await call('POST', '/api/v1/cases', as, opened, { 'Idempotency-Key': 'open-2' })).status,
      ).toBe(201);
      const elsewhere = await call(
        'POST',
        '/api/v1/cases',
        as,
        { ...opened, residenceCommune: '91034' },
        { 'Idempotency-Key': 'open-2' },
      );
      expect(elsewhere).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    });

    it('answers 412 to a stale If-Match and 409 when another write wins the race', async () => {
      const caseId = await openCase();
      const read = await call('GET', `/api/v1/cases/${caseId}`, as);
      const etag = read.headers.get('etag') ?? '';
      await log(caseId, as, {
        type: 'RisSuppressed',
        occurredOn: '2026-11-19',
        reason: 'other',
        effectiveOn: '2026-11-19',
      });
      const stale = await log(
        caseId,
        as,
        { type: 'CaseClosed', occurredOn: '2026-11-19', reason: 'other' },
        { 'If-Match': etag },
      );
      expect(stale.status).toBe(412);

      // Eight different writes at once: each is written or refused, none lost, none doubled.
      const racing = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          log(caseId, as, {
            type: 'InformationSharedOutsideRelais',
            occurredOn: `2026-11-${String(10 + i)}`,
            channel: 'phone',
            sharedWith: 'saj-dinant',
            about: 'RisSuppressed',
          }),
        ),
      );
      const statuses = racing.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      const won = statuses.filter((s) => s === 201).length;
      const shared = (
        await call<{ type: string }[]>('GET', `/api/v1/cases/${caseId}/timeline`, as)
      ).body.filter((e) => e.type === 'InformationSharedOutsideRelais');
      expect(shared).toHaveLength(won);
      expect(won).toBeGreaterThanOrEqual(1);
      for (const lost of racing.filter((r) => r.status === 409))
        expect(lost.body.code).toBe('VERSION_CONFLICT');
    });

    it('answers a double submit without an Idempotency-Key with the events it wrote, never more: decided on the same version, it is written once', async () => {
      const caseId = await openCase();
      const share = {
        type: 'InformationSharedOutsideRelais',
        occurredOn: '2026-11-19',
        channel: 'meeting',
        sharedWith: 'saj-dinant',
        about: 'RisSuppressed',
      };
      const twice = await Promise.all([log(caseId, as, share), log(caseId, as, share)]);
      expect(twice.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      const answered = new Set(
        twice.filter((r) => r.status === 201).flatMap((r) => r.body.eventIds),
      );
      const shared = (
        await call<{ type: string; eventId: string }[]>(
          'GET',
          `/api/v1/cases/${caseId}/timeline`,
          as,
        )
      ).body.filter((e) => e.type === 'InformationSharedOutsideRelais');
      expect(new Set(shared.map((e) => e.eventId))).toEqual(answered);
    });

    it('shows a family member as erased once their key is erased', async () => {
      const caseId = await openCase();
      const view = await call<{ family: { subjectId: string }[] }>(
        'GET',
        `/api/v1/cases/${caseId}`,
        as,
      );
      await relais.app.get(SubjectVault).erase(view.body.family[0]?.subjectId ?? '');
      const after = await call<{ family: Record<string, unknown>[] }>(
        'GET',
        `/api/v1/cases/${caseId}`,
        as,
      );
      expect(after.body.family[0]).toEqual({
        subjectId: view.body.family[0]?.subjectId,
        role: 'parent',
        erased: true,
      });
      expect(after.body.family[1]).toMatchObject({ erased: false, firstName: 'Théodore' });
    });
  });

  describe('personal data', () => {
    it('never stores or logs a family member’s name, NISS or address in clear text', async () => {
      const caseId = await openCase();
      await joinSaj(caseId);
      await log(caseId, as, {
        type: 'FamilyRelocated',
        occurredOn: '2026-11-19',
        destinationCommune: '91114',
        effectiveOn: '2026-11-19',
      });
      await eventually(async () =>
        (await call<{ items: { caseId: string }[] }>('GET', '/api/v1/cases', as)).body.items.some(
          (c) => c.caseId === caseId,
        ),
      );
      // The DPO finds the family by NISS and by name, and reads the report: nothing kept either.
      const dpo = await relais.token('dpo@relais.demo');
      const found = await call<{ items: { subjectId: string }[] }>(
        'GET',
        '/api/v1/dpo/subjects?niss=87061512335',
        dpo,
      );
      expect(found.body.items.length).toBeGreaterThan(0);
      const byName = await call<{ items: unknown[] }>(
        'GET',
        `/api/v1/dpo/subjects?name=${encodeURIComponent('Théodore Vandenbroucke')}`,
        dpo,
      );
      expect(byName.body.items.length).toBeGreaterThan(0);
      const subjectId = found.body.items[0]?.subjectId ?? '';
      expect((await call('GET', `/api/v1/dpo/subjects/${subjectId}/report`, dpo)).status).toBe(200);
      const { rows: tables } = await relais.database.pool.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['events', 'case_summaries', 'subject_data', 'subject_lookup']),
      );
      const dump: string[] = [];
      for (const { table_name } of tables) {
        const { rows } = await relais.database.pool.query<{ row: string }>(
          `select t::text as row from "${table_name}" t`,
        );
        dump.push(...rows.map((r) => r.row));
      }
      const everything = [...dump, ...relais.logger.lines].join('\n');
      expect(everything).toContain('FamilyRelocated'); // the search does look at real content
      for (const secret of [
        'Vandenbroucke',
        'Marie-Claude',
        'Théodore',
        '87061512335',
        'Tanneurs',
        'Lambotte',
      ]) {
        expect(everything).not.toContain(secret);
      }
    });
  });

  describe('GET /api/docs-json', () => {
    it('describes the API without a token', async () => {
      const docs = await call<{ paths: Record<string, unknown> }>('GET', '/api/docs-json');
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/cases',
          '/api/v1/cases/{id}/events',
          '/api/v1/auth/token',
        ]),
      );
    });
  });
});
