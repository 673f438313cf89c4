import type { Notification, ReferralSummary, Simulation } from '@relais/wire';
import { Inbox, UnnamedNotification } from '@relais/obligations';
import { aCaseWithTheSaj, apiOf, Call, notificationIn } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(90_000);

/** What people who receive a notice or a referral can do with it (issue 12, broken paths 1–3). */
describe('notices people can act on', () => {
  let relais: TestRelais;
  let call: Call;
  let asCiney: string;
  let delegue: string;
  let asRochefort: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    asCiney = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    asRochefort = await relais.token('as@cpas-rochefort.demo');
  });
  afterAll(() => relais.close());

  async function aCineyCase(): Promise<{ caseId: string; reference: string }> {
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', asCiney, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', firstName: 'Céline', lastName: 'Dumont' }],
    });
    expect(opened.status).toBe(201);
    const view = await call<{ reference: string }>(
      'GET',
      `/api/v1/cases/${opened.body.caseId}`,
      asCiney,
    );
    return { caseId: opened.body.caseId, reference: view.body.reference };
  }

  const referralsOf = async (token: string) => {
    const answer = await call<ReferralSummary[]>('GET', '/api/v1/referrals', token);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  async function referralIn(token: string, caseId: string, direction: 'incoming' | 'outgoing') {
    let found: ReferralSummary | undefined;
    await eventually(async () => {
      found = (await referralsOf(token)).find(
        (r) => r.caseId === caseId && r.direction === direction,
      );
      return found !== undefined;
    });
    return found as ReferralSummary;
  }

  describe('GET /referrals: the queue of referrals awaiting an answer', () => {
    it('shows the SAJ a referral sent to it, with the reference and the sender but never the family', async () => {
      const { caseId, reference } = await aCineyCase();
      const sent = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'ReferralSent',
        occurredOn: '2026-11-04',
        to: 'saj-dinant',
        reason: 'youth_aid_needed',
      });
      expect(sent.status).toBe(201);
      const incoming = await referralIn(delegue, caseId, 'incoming');
      expect(incoming).toMatchObject({
        caseId,
        reference,
        residenceCommune: '91030',
        from: 'cpas-ciney',
        to: 'saj-dinant',
        reason: 'youth_aid_needed',
        sentOn: '2026-11-04',
        status: 'sent',
        answeredOn: null,
      });
      expect(JSON.stringify(await referralsOf(delegue))).not.toMatch(/Dumont|Céline/);
    });

    it('tells the sender the answer, and takes an answered referral out of the recipient’s queue', async () => {
      const { caseId } = await aCineyCase();
      await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'ReferralSent',
        occurredOn: '2026-11-04',
        to: 'saj-dinant',
        reason: 'youth_aid_needed',
      });
      const { referralId } = await referralIn(delegue, caseId, 'incoming');
      const declined = await call('POST', `/api/v1/cases/${caseId}/events`, delegue, {
        type: 'ReferralDeclined',
        occurredOn: '2026-11-05',
        referralId,
        reason: 'no_capacity',
      });
      expect(declined.status).toBe(201);
      await eventually(
        async () =>
          (await referralIn(asCiney, caseId, 'outgoing')).status === 'declined' &&
          !(await referralsOf(delegue)).some((r) => r.caseId === caseId),
      );
      expect(await referralIn(asCiney, caseId, 'outgoing')).toMatchObject({
        referralId,
        to: 'saj-dinant',
        status: 'declined',
        answeredOn: '2026-11-05',
        declineReason: 'no_capacity',
      });
    });

    it('is for case work only: a manager is refused', async () => {
      const chef = await relais.token('chef@saj-dinant.demo');
      expect((await call('GET', '/api/v1/referrals', chef)).status).toBe(403);
    });
  });

  describe('a move from Ciney to Rochefort, seen by CPAS Rochefort', () => {
    it('carries the case reference and the Ciney worker’s contact, and a referral to take the case over', async () => {
      const caseId = await aCaseWithTheSaj(call, asCiney);
      const { reference } = (
        await call<{ reference: string }>('GET', `/api/v1/cases/${caseId}`, asCiney)
      ).body;
      const moved = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'FamilyRelocated',
        occurredOn: '2026-11-19',
        destinationCommune: '91114',
        effectiveOn: '2026-11-19',
      });
      expect(moved.status).toBe(201);
      const notice = await notificationIn(
        call,
        asRochefort,
        caseId,
        'cpas-family-relocated',
        (n: Notification) => n.caseAccess === 'referral',
      );
      expect(notice).toMatchObject({
        caseReference: reference,
        caseAccess: 'referral',
        contacts: [
          {
            name: 'Assistant·e social·e, CPAS de Ciney',
            email: 'as@cpas-ciney.demo',
            organisationId: 'cpas-ciney',
          },
        ],
      });

      const referral = await referralIn(asRochefort, caseId, 'incoming');
      expect(referral).toMatchObject({ from: 'cpas-ciney', reason: 'family_relocated' });
      const asReferral = await call<{ access: string }>(
        'GET',
        `/api/v1/cases/${caseId}`,
        asRochefort,
      );
      expect([asReferral.status, asReferral.body.access]).toEqual([200, 'referral']);

      const accepted = await call('POST', `/api/v1/cases/${caseId}/events`, asRochefort, {
        type: 'ReferralAccepted',
        occurredOn: '2026-11-20',
        referralId: referral.referralId,
        assignedStaffIds: [],
        legalBasis: 'legal_obligation',
      });
      expect(accepted.status).toBe(201);
      const asPartner = await call<{ access: string; family: unknown[] }>(
        'GET',
        `/api/v1/cases/${caseId}`,
        asRochefort,
      );
      expect([asPartner.body.access, asPartner.body.family.length]).toEqual(['partner', 1]);
    });

    it('says what a recipient may open: all of it for a partner, nothing for an organisation told by competence alone', async () => {
      const caseId = await aCaseWithTheSaj(call, asCiney);
      const { reference } = (
        await call<{ reference: string }>('GET', `/api/v1/cases/${caseId}`, asCiney)
      ).body;
      await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'FamilyRelocated',
        occurredOn: '2026-11-19',
        destinationCommune: '92094',
        effectiveOn: '2026-11-19',
      });
      const toSaj = await notificationIn(call, delegue, caseId, 'cpas-family-relocated');
      expect([toSaj.caseAccess, toSaj.caseReference]).toEqual(['partner', reference]);
      // The SAJ of Namur is told of a family moving into its territory; the case is not shared with it.
      let toNamur: UnnamedNotification<Date> | undefined;
      await eventually(async () => {
        toNamur = (await relais.app.get(Inbox).forOrganisation('saj-namur')).find(
          (n) => n.caseId === caseId,
        );
        return toNamur !== undefined;
      });
      expect([toNamur?.caseAccess, toNamur?.caseReference]).toEqual(['none', reference]);
    });
  });

  describe('POST /cases/:id/events/preview: the dry run of the very event the write would save', () => {
    it('refuses a date in the future, at the field, as the write does', async () => {
      const caseId = await aCaseWithTheSaj(call, asCiney);
      const body = {
        type: 'RisSuppressed',
        occurredOn: '2026-11-21',
        reason: 'other',
        effectiveOn: '2026-11-21',
      };
      const preview = await call<{ code: string; errors: { field: string }[] }>(
        'POST',
        `/api/v1/cases/${caseId}/events/preview`,
        asCiney,
        body,
      );
      const write = await call<{ code: string }>(
        'POST',
        `/api/v1/cases/${caseId}/events`,
        asCiney,
        body,
      );
      expect([preview.status, preview.body.code, preview.body.errors[0]?.field]).toEqual([
        422,
        'OCCURRED_IN_FUTURE',
        'occurredOn',
      ]);
      expect([write.status, write.body.code]).toEqual([422, 'OCCURRED_IN_FUTURE']);
    });

    it('refuses accepting a referral on a consent the family never gave', async () => {
      const { caseId } = await aCineyCase();
      await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
        type: 'ReferralSent',
        occurredOn: '2026-11-04',
        to: 'saj-dinant',
        reason: 'joint_follow_up',
      });
      const { referralId } = await referralIn(delegue, caseId, 'incoming');
      const preview = await call<{ code: string; errors: { field: string }[] }>(
        'POST',
        `/api/v1/cases/${caseId}/events/preview`,
        delegue,
        {
          type: 'ReferralAccepted',
          occurredOn: '2026-11-05',
          referralId,
          assignedStaffIds: [],
          legalBasis: 'family_informed_consent',
        },
      );
      expect([preview.status, preview.body.code, preview.body.errors[0]?.field]).toEqual([
        422,
        'NO_ACTIVE_CONSENT',
        'legalBasis',
      ]);
    });

    it('names bad input at the field, never a 5xx', async () => {
      const caseId = await aCaseWithTheSaj(call, asCiney);
      const preview = await call<{ errors: { field: string }[] }>(
        'POST',
        `/api/v1/cases/${caseId}/events/preview`,
        asCiney,
        { type: 'RisSuppressed', occurredOn: '2026-13-40', reason: 'nope' },
      );
      expect(preview.status).toBe(400);
      expect(preview.body.errors.map((e) => e.field).sort()).toEqual([
        'effectiveOn',
        'occurredOn',
        'reason',
      ]);
    });

    it('promises the contact the inbox then carries, and saves nothing', async () => {
      const caseId = await aCaseWithTheSaj(call, asCiney);
      const body = {
        type: 'RisSuppressed',
        occurredOn: '2026-11-20',
        reason: 'other',
        effectiveOn: '2026-11-20',
      };
      const before = await call<unknown[]>('GET', `/api/v1/cases/${caseId}/timeline`, asCiney);
      const preview = await call<Simulation[]>(
        'POST',
        `/api/v1/cases/${caseId}/events/preview`,
        asCiney,
        body,
      );
      expect(preview.status).toBe(200);
      const promised = preview.body.flatMap((s) => s.obligations);
      expect(promised.map((o) => [o.recipientOrganisationId, o.dueOn])).toEqual([
        ['saj-dinant', '2026-11-27'],
      ]);
      const after = await call<unknown[]>('GET', `/api/v1/cases/${caseId}/timeline`, asCiney);
      expect(after.body.length).toBe(before.body.length);

      expect((await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, body)).status).toBe(
        201,
      );
      const notice = await notificationIn(call, delegue, caseId, 'cpas-ris-suppressed');
      expect(notice.contacts).toEqual(promised[0]?.contacts);
      expect(notice.contacts.map((c) => c.email)).toEqual(['as@cpas-ciney.demo']);
    });
  });
});
