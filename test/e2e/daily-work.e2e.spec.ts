import type { CaseSummary } from '@relais/wire';
import { apiOf, Call, joinedBy, notificationIn } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(90_000);

interface Problem {
  readonly code: string;
  readonly errors?: readonly { field: string }[];
}

/** Daily work on the cases list and the inbox (issue 12): names, search, filters. */
describe('daily work', () => {
  let relais: TestRelais;
  let call: Call;
  let asCiney: string;
  let delegue: string;
  let asRochefort: string;
  let asDinant: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    asCiney = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    asRochefort = await relais.token('as@cpas-rochefort.demo');
    asDinant = await relais.token('as@cpas-dinant.demo');
  });
  afterAll(() => relais.close());

  let families = 0;
  /** A CPAS Ciney case of a family of its own: names no other test uses. */
  async function aFamily(
    token = asCiney,
    commune = '91030',
    niss?: string,
  ): Promise<{ caseId: string; reference: string; lastName: string; firstName: string }> {
    families += 1;
    const firstName = 'Aurélie';
    const lastName = `Journal-Accès${'x'.repeat(families)}`;
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', token, {
      occurredOn: '2026-11-02',
      residenceCommune: commune,
      legalBasis: 'legal_obligation',
      familyMembers: [
        { role: 'parent', firstName, lastName, ...(niss ? { niss } : {}) },
        { role: 'child', firstName: 'Noé', lastName },
      ],
    });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const view = await call<{ reference: string }>('GET', `/api/v1/cases/${caseId}`, token);
    return { caseId, reference: view.body.reference, lastName, firstName };
  }

  const casesOf = async (token: string, query = '') => {
    const answer = await call<CaseSummary[]>('GET', `/api/v1/cases${query}`, token);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  async function listed(token: string, caseId: string, query = ''): Promise<CaseSummary> {
    let found: CaseSummary | undefined;
    await eventually(async () => {
      found = (await casesOf(token, query)).find((c) => c.caseId === caseId);
      return found !== undefined;
    });
    return found as CaseSummary;
  }

  describe('names on the cases list and the inbox cards', () => {
    it('shows a partner the family by name on its cases list, from the vault', async () => {
      const { caseId, lastName } = await aFamily();
      const row = await listed(asCiney, caseId);
      expect(row.family).toEqual([
        expect.objectContaining({ role: 'parent', erased: false, firstName: 'Aurélie', lastName }),
        expect.objectContaining({ role: 'child', erased: false, firstName: 'Noé', lastName }),
      ]);
      // A list names the family; what else the vault holds stays on the case page.
      expect(Object.keys(row.family[0] ?? {}).sort()).toEqual(
        ['erased', 'firstName', 'lastName', 'role', 'subjectId'].sort(),
      );
    });

    it('names the family on the inbox card of a partner that joined on a legal basis, never before', async () => {
      const { caseId, lastName } = await aFamily();
      const sent = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'ReferralSent',
        occurredOn: '2026-11-03',
        to: 'saj-dinant',
        reason: 'youth_aid_needed',
      });
      expect(sent.status).toBe(201);
      // Not accepted yet: neither the SAJ's list nor its inbox names the family.
      await eventually(async () =>
        (await call<{ caseId: string }[]>('GET', '/api/v1/referrals', delegue)).body.some(
          (r) => r.caseId === caseId,
        ),
      );
      expect(JSON.stringify(await casesOf(delegue))).not.toContain(lastName);
      expect(JSON.stringify((await call('GET', '/api/v1/inbox', delegue)).body)).not.toContain(
        lastName,
      );

      const other = await aFamily();
      await joinedBy(call, asCiney, other.caseId, 'saj-dinant', {
        legalBasis: 'judicial_mandate',
      });
      const logged = await call('POST', `/api/v1/cases/${other.caseId}/events`, asCiney, {
        type: 'RisSuppressed',
        occurredOn: '2026-11-20',
        reason: 'resources_above_threshold',
        effectiveOn: '2026-12-01',
      });
      expect(logged.status).toBe(201);
      const card = await notificationIn(call, delegue, other.caseId, 'cpas-ris-suppressed');
      expect(card.caseAccess).toBe('partner');
      expect(card.family).toEqual([
        expect.objectContaining({ role: 'parent', firstName: 'Aurélie', lastName: other.lastName }),
        expect.objectContaining({ role: 'child', firstName: 'Noé', lastName: other.lastName }),
      ]);
      expect((await listed(delegue, other.caseId)).family[0]).toMatchObject({
        lastName: other.lastName,
      });
    });

    it('never names the family to an organisation without a basis: the new commune’s CPAS', async () => {
      const { caseId, lastName } = await aFamily();
      await joinedBy(call, asCiney, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
      const moved = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'FamilyRelocated',
        occurredOn: '2026-11-19',
        destinationCommune: '91114',
        effectiveOn: '2026-11-19',
      });
      expect(moved.status).toBe(201);
      const notice = await notificationIn(call, asRochefort, caseId, 'cpas-family-relocated');
      expect(notice.caseAccess).toBe('referral');
      expect(notice.family).toEqual([]);
      expect(JSON.stringify((await call('GET', '/api/v1/inbox', asRochefort)).body)).not.toContain(
        lastName,
      );
    });

    it('shows an erased person as erased', async () => {
      const { caseId } = await aFamily();
      const parent = (await listed(asCiney, caseId)).family[0]?.subjectId;
      const dpo = await relais.token('dpo@relais.demo');
      const erased = await call('POST', '/api/v1/erasures', dpo, {
        subjectId: parent,
        reason: 'data_subject_request',
      });
      expect(erased.status).toBe(201);
      const row = await listed(asCiney, caseId);
      expect(row.family[0]).toEqual({ subjectId: parent, role: 'parent', erased: true });
      expect(row.family[1]).toMatchObject({ erased: false, firstName: 'Noé' });
    });
  });

  describe('GET /cases?q=: search by name, NISS or reference', () => {
    it('finds a case by a name, any token, accents and case aside', async () => {
      const { caseId, lastName } = await aFamily();
      const typed = lastName.toUpperCase().replace('È', 'E').replace('-', ' ');
      for (const q of [typed, 'aurelie', `noe ${lastName}`]) {
        const found = await casesOf(asCiney, `?q=${encodeURIComponent(q)}&status=open`);
        expect(found.map((c) => c.caseId)).toContain(caseId);
      }
      const miss = await casesOf(asCiney, `?q=${encodeURIComponent(`${lastName} Lambotte`)}`);
      expect(miss.map((c) => c.caseId)).not.toContain(caseId);
    });

    it('finds a case by NISS, typed with its dots and dashes, and by its reference', async () => {
      const { caseId, reference } = await aFamily(asCiney, '91030', '85073003328');
      expect(
        (await casesOf(asCiney, `?q=${encodeURIComponent('85.07.30-033.28')}`)).map(
          (c) => c.caseId,
        ),
      ).toEqual([caseId]);
      expect(
        (await casesOf(asCiney, `?q=${encodeURIComponent(reference.toLowerCase())}`)).map(
          (c) => c.caseId,
        ),
      ).toEqual([caseId]);
    });

    it('finds only the caller’s own cases', async () => {
      const { lastName } = await aFamily();
      expect(await casesOf(asDinant, `?q=${encodeURIComponent(lastName)}`)).toEqual([]);
    });

    it('refuses a search too long, naming q', async () => {
      const answer = await call<Problem>('GET', `/api/v1/cases?q=${'a'.repeat(202)}`, asCiney);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((e) => e.field)).toEqual(['q']);
    });
  });

  describe('GET /cases filters: mine, commune, status', () => {
    it('filters by commune and by the cases assigned to the caller', async () => {
      const me = (await call<{ staffId: string }>('GET', '/api/v1/me', asCiney)).body.staffId;
      const chef = await relais.token('chef@cpas-ciney.demo');
      const colleague = (await call<{ staffId: string }>('GET', '/api/v1/me', chef)).body.staffId;
      const open = (commune: string, assignedStaffIds: string[]) =>
        call<{ caseId: string }>('POST', '/api/v1/cases', asCiney, {
          occurredOn: '2026-11-02',
          residenceCommune: commune,
          legalBasis: 'legal_obligation',
          assignedStaffIds,
          familyMembers: [{ role: 'parent', firstName: 'Mina', lastName: 'Assignée' }],
        });
      const mine = await open('91030', [me]);
      const theirs = await open('91034', [colleague]);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      const elsewhere = theirs.body;
      await listed(asCiney, elsewhere.caseId);

      const assigned = await casesOf(asCiney, '?assigned=me');
      expect(assigned.map((c) => c.caseId)).toContain(mine.body.caseId);
      expect(assigned.map((c) => c.caseId)).not.toContain(elsewhere.caseId);

      const inCommune = await casesOf(asCiney, '?commune=91034');
      expect(inCommune.map((c) => c.caseId)).toContain(elsewhere.caseId);
      expect(inCommune.every((c) => c.residenceCommune === '91034')).toBe(true);
    });

    it.each([
      ['status=shut', 'status'],
      ['commune=Ciney', 'commune'],
      ['assigned=you', 'assigned'],
    ])('refuses %s with a 400 naming the field', async (query, field) => {
      const answer = await call<Problem>('GET', `/api/v1/cases?${query}`, asCiney);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect(answer.body.errors?.map((e) => e.field)).toEqual([field]);
    });
  });

  describe('GET /referrals: the referrals sent are bounded', () => {
    it('answers the `outgoing` newest sent, and refuses a bound out of range naming it', async () => {
      for (const to of ['saj-dinant', 'spj-dinant']) {
        const { caseId } = await aFamily();
        const sent = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
          type: 'ReferralSent',
          occurredOn: '2026-11-05',
          to,
          reason: 'joint_follow_up',
        });
        expect(sent.status).toBe(201);
      }
      await eventually(
        async () =>
          (await call<{ direction: string }[]>('GET', '/api/v1/referrals', asCiney)).body.filter(
            (r) => r.direction === 'outgoing',
          ).length >= 2,
      );
      const one = await call<{ direction: string }[]>(
        'GET',
        '/api/v1/referrals?outgoing=1',
        asCiney,
      );
      expect(one.body.filter((r) => r.direction === 'outgoing')).toHaveLength(1);
      for (const bad of ['0', '201', 'all']) {
        const answer = await call<Problem>('GET', `/api/v1/referrals?outgoing=${bad}`, asCiney);
        expect(answer.status).toBe(400);
        expect(answer.body.errors?.map((e) => e.field)).toEqual(['outgoing']);
      }
    });
  });
});
