import { randomUUID } from 'node:crypto';
import { staffIdOf } from '../../apps/api/src/seed/demo-seed';
import { apiOf, Call, joinedBy } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

const FAMILY = { firstName: 'Gaëlle', lastName: 'Secret-Professionnel', niss: '90020212372' };

interface View {
  access?: string;
  family?: { firstName?: string }[];
  referrals: {
    referralId: string;
    to: string;
    status: string;
    reason?: string;
    sender?: Record<string, unknown>;
  }[];
}

/** Professional secrecy (art. 458ter Code pénal): who reads what of a family's case, and when. */
describe('lawful sharing', () => {
  let relais: TestRelais;
  let call: Call;
  let as: string;
  let delegue: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
  });
  afterAll(() => relais.close());

  const openCase = async (assignedStaffIds?: string[]) => {
    const opened = await call<{ caseId: string; code?: string; errors?: { field: string }[] }>(
      'POST',
      '/api/v1/cases',
      as,
      {
        occurredOn: '2026-11-02',
        residenceCommune: '91030',
        legalBasis: 'legal_obligation',
        familyMembers: [{ role: 'parent', ...FAMILY }],
        ...(assignedStaffIds ? { assignedStaffIds } : {}),
      },
    );
    return opened;
  };
  const log = (caseId: string, token: string, body: Record<string, unknown>) =>
    call<{ code?: string; errors?: { field: string }[] }>(
      'POST',
      `/api/v1/cases/${caseId}/events`,
      token,
      body,
    );
  const leaksIdentity = (body: unknown) => {
    const text = JSON.stringify(body);
    return Object.values(FAMILY).some((value) => text.includes(value));
  };

  describe('a referral still waiting for its answer', () => {
    it('shows the recipient what it needs to decide, never who the family is', async () => {
      const { body } = await openCase();
      const caseId = body.caseId;
      expect(
        (
          await log(caseId, as, {
            type: 'ReferralSent',
            occurredOn: '2026-11-03',
            to: 'saj-dinant',
            reason: 'youth_aid_needed',
          })
        ).status,
      ).toBe(201);

      const seen = await call<View & Record<string, unknown>>(
        'GET',
        `/api/v1/cases/${caseId}`,
        delegue,
      );
      expect(seen.status).toBe(200);
      expect(leaksIdentity(seen.body)).toBe(false);
      expect(seen.body).not.toHaveProperty('family');
      expect(seen.body).toMatchObject({
        access: 'referral',
        reference: expect.stringMatching(/^CIN-2026-/) as unknown,
        residenceCommune: { ins: '91030', name: 'Ciney' },
        referrals: [
          {
            to: 'saj-dinant',
            status: 'sent',
            reason: 'youth_aid_needed',
            sender: {
              organisationId: 'cpas-ciney',
              staffEmail: 'as@cpas-ciney.demo',
              contactEmail: expect.any(String) as unknown,
            },
          },
        ],
      });
      for (const path of ['timeline', 'obligations']) {
        const history = await call('GET', `/api/v1/cases/${caseId}/${path}`, delegue);
        expect([path, history.status]).toEqual([path, 404]);
      }

      const referralId = seen.body.referrals[0]?.referralId;
      expect(
        (
          await log(caseId, delegue, {
            type: 'ReferralAccepted',
            occurredOn: '2026-11-04',
            referralId,
            assignedStaffIds: [staffIdOf('delegue1@saj-dinant.demo')],
            legalBasis: 'judicial_mandate',
          })
        ).status,
      ).toBe(201);
      const partner = await call<View>('GET', `/api/v1/cases/${caseId}`, delegue);
      expect(partner.body.access).toBe('partner');
      expect(partner.body.family?.[0]?.firstName).toBe(FAMILY.firstName);
    });

    it('the demo’s Dinant referral no longer shows the SAJ the family’s names', async () => {
      const dinant = await relais.token('as@cpas-dinant.demo');
      const cases = await call<{ items: { caseId: string }[] }>('GET', '/api/v1/cases', dinant);
      const caseId = cases.body.items[0]?.caseId;
      expect(caseId).toBeDefined();
      const own = await call('GET', `/api/v1/cases/${caseId}`, dinant);
      expect(JSON.stringify(own.body)).toContain('Benali');
      const seen = await call('GET', `/api/v1/cases/${caseId}`, delegue);
      expect(seen.status).toBe(200);
      expect(JSON.stringify(seen.body)).not.toContain('Benali');
    });
  });

  it('PartnerJoined cannot make another organisation a partner: it is invited and joins on its own basis', async () => {
    const { body } = await openCase();
    const caseId = body.caseId;
    const declared = await log(caseId, as, {
      type: 'PartnerJoined',
      occurredOn: '2026-11-03',
      organisationId: 'saj-dinant',
      assignedStaffIds: [],
      legalBasis: 'legal_obligation',
    });
    expect(declared).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'type', message: expect.stringContaining('ReferralSent') as unknown }],
      },
    });
    expect((await call('GET', `/api/v1/cases/${caseId}`, delegue)).status).toBe(404);
  });

  it('a former partner sees the case as it was when it left, nothing logged after', async () => {
    const { body } = await openCase();
    const caseId = body.caseId;
    await joinedBy(call, as, caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' }, delegue);
    expect(
      (
        await log(caseId, delegue, {
          type: 'AidProgrammeChanged',
          occurredOn: '2026-11-05',
          programme: 'in_family_support',
        })
      ).status,
    ).toBe(201);
    expect(
      (await log(caseId, delegue, { type: 'PartnerLeft', occurredOn: '2026-11-06' })).status,
    ).toBe(201);
    expect(
      (
        await log(caseId, as, {
          type: 'RisSuppressed',
          occurredOn: '2026-11-09',
          reason: 'other',
          effectiveOn: '2026-11-30',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await log(caseId, as, {
          type: 'ReferralSent',
          occurredOn: '2026-11-09',
          to: 'spj-dinant',
          reason: 'youth_aid_needed',
        })
      ).status,
    ).toBe(201);

    const timeline = await call<{ type: string }[]>(
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
      'AidProgrammeChanged',
      'PartnerLeft',
    ]);
    const view = await call<View & { version: number }>('GET', `/api/v1/cases/${caseId}`, delegue);
    expect(view.body).toMatchObject({ access: 'former_partner', version: 7 });
    expect(view.body.referrals.map((r) => r.to)).toEqual(['saj-dinant']);
    const obligations = await call<
      { recipientOrganisationId: string; obligedOrganisationId: string }[]
    >('GET', `/api/v1/cases/${caseId}/obligations`, delegue);
    expect(obligations.status).toBe(200);
    expect(
      obligations.body.every((o) =>
        [o.recipientOrganisationId, o.obligedOrganisationId].includes('saj-dinant'),
      ),
    ).toBe(true);
    // Still a partner's full view for the CPAS.
    const cpas = await call<{ type: string }[]>('GET', `/api/v1/cases/${caseId}/timeline`, as);
    expect(cpas.body.map((e) => e.type)).toContain('RisSuppressed');
  });

  describe('assigned staff are active staff of the organisation that assigns them', () => {
    it('refuses an unknown id or another organisation’s staff when opening a case', async () => {
      for (const id of [randomUUID(), staffIdOf('delegue1@saj-dinant.demo')]) {
        const refused = await openCase([staffIdOf('as@cpas-ciney.demo'), id]);
        expect(refused).toMatchObject({
          status: 422,
          body: { code: 'NOT_ASSIGNABLE', errors: [{ field: 'assignedStaffIds.1' }] },
        });
      }
      expect((await openCase([staffIdOf('as@cpas-ciney.demo')])).status).toBe(201);
    });

    it('refuses another organisation’s or a deactivated member of staff when accepting a referral', async () => {
      const { body } = await openCase();
      const caseId = body.caseId;
      await log(caseId, as, {
        type: 'ReferralSent',
        occurredOn: '2026-11-03',
        to: 'saj-dinant',
        reason: 'joint_follow_up',
      });
      const referralId = (await call<View>('GET', `/api/v1/cases/${caseId}`, delegue)).body
        .referrals[0]?.referralId;
      const accept = (assignedStaffIds: string[]) =>
        log(caseId, delegue, {
          type: 'ReferralAccepted',
          occurredOn: '2026-11-04',
          referralId,
          assignedStaffIds,
          legalBasis: 'judicial_mandate',
        });
      expect((await accept([staffIdOf('as@cpas-ciney.demo')])).body.code).toBe('NOT_ASSIGNABLE');

      const admin = await relais.token('admin@relais.demo');
      const delegue2 = staffIdOf('delegue2@saj-dinant.demo');
      expect((await call('POST', `/api/v1/staff/${delegue2}/deactivate`, admin)).status).toBe(200);
      await eventually(async () =>
        (await call<{ id: string; active: boolean }[]>('GET', '/api/v1/staff', admin)).body.some(
          (s) => s.id === delegue2 && !s.active,
        ),
      );
      expect((await accept([delegue2])).body.code).toBe('NOT_ASSIGNABLE');
      expect((await accept([staffIdOf('delegue1@saj-dinant.demo')])).status).toBe(201);
    });
  });
});
