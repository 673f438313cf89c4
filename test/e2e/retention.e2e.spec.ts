import type { CaseView, ExpiringCase, Notification, RetentionPolicy } from '@relais/wire';
import { DeadlineWatcher } from '@relais/obligations';
import { RetentionJob } from '../../apps/worker/src/privacy/retention-job.service';
import { apiOf, Call, joinedBy, notificationIn } from '../support/api';
import { eventually, startTestRelais, startWorkerBeside, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

const at = (day: string) => new Date(`${day}T10:00:00+01:00`);

describe('retention', () => {
  let relais: TestRelais;
  let call: Call;
  let as: string; // social worker, CPAS Ciney
  let delegue: string; // SAJ Dinant
  let admin: string;
  let dpo: string;
  let coordinator: string;

  /** Tokens expire by the app's clock: signed in again after it moves. */
  async function signIn(): Promise<void> {
    as = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    admin = await relais.token('admin@relais.demo');
    dpo = await relais.token('dpo@relais.demo');
    coordinator = await relais.token('coordination@relais.demo');
  }

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    await signIn();
  });
  afterAll(() => relais.close());

  const log = async (caseId: string, token: string, event: object) =>
    expect((await call('POST', `/api/v1/cases/${caseId}/events`, token, event)).status).toBe(201);

  async function aCaseWithTheSaj(): Promise<string> {
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', as, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [
        { role: 'parent', firstName: 'Hortense', lastName: 'Delvigne', niss: '84030912334' },
        { role: 'child', firstName: 'Basile', lastName: 'Delvigne' },
      ],
    });
    expect(opened.status).toBe(201);
    await joinedBy(call, as, opened.body.caseId, 'saj-dinant', { legalBasis: 'judicial_mandate' });
    return opened.body.caseId;
  }

  const acknowledge = async (token: string, caseId: string, ruleId: string) => {
    const n: Notification = await notificationIn(call, token, caseId, ruleId);
    expect((await call('POST', `/api/v1/notifications/${n.id}/acknowledge`, token)).status).toBe(
      200,
    );
  };

  const expiring = (days = 30) =>
    call<{ until: string; items: ExpiringCase[] }>(
      'GET',
      `/api/v1/retention/expiring?days=${days}`,
      dpo,
    );

  it('lets an admin set an organisation’s period, defaulting to 10 years', async () => {
    const before = await call<RetentionPolicy>(
      'GET',
      '/api/v1/organisations/spj-dinant/retention',
      dpo,
    );
    expect(before.body).toEqual({
      organisationId: 'spj-dinant',
      years: 10,
      isDefault: true,
      setBy: null,
      setAt: null,
    });
    const set = await call<RetentionPolicy>(
      'PUT',
      '/api/v1/organisations/spj-dinant/retention',
      admin,
      {
        years: 7,
      },
    );
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ organisationId: 'spj-dinant', years: 7, isDefault: false });
    const { rows } = await relais.database.pool.query<{ data: unknown }>(
      `select data from events where stream_id = 'retention-spj-dinant'`,
    );
    expect(rows.map((r) => r.data)).toEqual([{ organisationId: 'spj-dinant', years: 7 }]);

    for (const years of [0, 31, 2.5, '5', null]) {
      const bad = await call<{ errors: { field: string }[] }>(
        'PUT',
        '/api/v1/organisations/spj-dinant/retention',
        admin,
        { years },
      );
      expect(bad.status).toBe(400);
      expect([...new Set(bad.body.errors.map((e) => e.field))]).toEqual(['years']);
    }
    const unknown = await call('PUT', '/api/v1/organisations/nowhere/retention', admin, {
      years: 3,
    });
    expect(unknown.status).toBe(404);
    const chef = await relais.token('chef@cpas-ciney.demo');
    expect(
      (await call('PUT', '/api/v1/organisations/cpas-ciney/retention', chef, { years: 3 })).status,
    ).toBe(403);
    const days = await call<{ errors: { field: string }[] }>(
      'GET',
      '/api/v1/retention/expiring?days=0',
      dpo,
    );
    expect(days.status).toBe(400);
    expect(days.body.errors[0]?.field).toBe('days');
  });

  it('shreds an ended case’s family once the longest period of its partners ran out, with two workers', async () => {
    expect(
      (await call('PUT', '/api/v1/organisations/cpas-ciney/retention', admin, { years: 2 })).status,
    ).toBe(200);
    expect(
      (await call('PUT', '/api/v1/organisations/saj-dinant/retention', admin, { years: 3 })).status,
    ).toBe(200);

    const ended = await aCaseWithTheSaj();
    await log(ended, as, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-05',
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });
    await acknowledge(delegue, ended, 'cpas-ris-suppressed');
    await log(ended, delegue, {
      type: 'CaseClosed',
      occurredOn: '2026-11-09',
      reason: 'handed_over',
    });
    await acknowledge(as, ended, 'saj-file-closed');
    await log(ended, as, {
      type: 'CaseClosed',
      occurredOn: '2026-11-12',
      reason: 'objectives_reached',
    });
    const stillOpen = await aCaseWithTheSaj();
    await log(stillOpen, as, { type: 'CaseClosed', occurredOn: '2026-11-12', reason: 'other' });
    await eventually(async () => {
      const { rows } = await relais.database.pool.query<{ status: string }>(
        'select status from case_summaries where case_id = $1',
        [ended],
      );
      return rows[0]?.status === 'ended';
    });

    expect((await expiring()).body.items.filter((c) => c.caseId === ended)).toEqual([]);

    // 26 days before: the DPO sees it coming, three years after its end (the SAJ's period).
    relais.clock.set(at('2029-10-17'));
    await signIn();
    const soon = await expiring();
    expect(soon.body.until).toBe('2029-11-16');
    const family = (await call<CaseView>('GET', `/api/v1/cases/${ended}`, as)).body.family;
    expect(soon.body.items).toEqual([
      {
        caseId: ended,
        reference: expect.any(String) as string,
        endedOn: '2026-11-12',
        expiresOn: '2029-11-12',
        years: 3,
        partnerIds: expect.arrayContaining(['cpas-ciney', 'saj-dinant']) as string[],
        subjectIds: family.map((m) => m.subjectId),
      },
    ]);
    expect((await expiring(10)).body.items).toEqual([]);

    const job = relais.app.get(RetentionJob);
    expect(await job.applyOnce()).toBe(0); // not yet
    const figures = () =>
      call('GET', '/api/v1/compliance/summary?from=2026-11&to=2026-11', coordinator);
    // The day it expires. The deadline watcher breaches what the open case still owes: the figures
    // change by that, and are read once it has settled.
    relais.clock.set(at('2029-11-12'));
    await signIn();
    const watcher = relais.app.get(DeadlineWatcher);
    while ((await watcher.checkOnce()) > 0);
    let before = JSON.stringify((await figures()).body);
    await eventually(async () => {
      await new Promise((r) => setTimeout(r, 300));
      const now = JSON.stringify((await figures()).body);
      const same = now === before;
      before = now;
      return same;
    });

    // Two workers' rounds at once: each person erased once, by one of them.
    const second = await startWorkerBeside(relais);
    try {
      const rounds = await Promise.all([
        job.applyOnce(),
        second.app.get(RetentionJob).applyOnce(),
        job.applyOnce(),
      ]);
      expect(rounds.reduce((a, b) => a + b, 0)).toBe(2);
    } finally {
      await second.stop();
    }

    const { rows } = await relais.database.pool.query<{
      data: { subjectId: string; caseId: string; reason: string };
      metadata: { actor: string };
    }>(
      `select data, metadata from events where type = 'PersonalDataErased' order by data ->> 'subjectId'`,
    );
    expect(rows.map((r) => r.data.subjectId)).toEqual(family.map((m) => m.subjectId).sort());
    for (const row of rows) {
      expect(row.data).toMatchObject({ caseId: ended, reason: 'retention' });
      expect(row.metadata.actor).toBe('system');
    }
    const after = (await call<CaseView>('GET', `/api/v1/cases/${ended}`, as)).body.family;
    expect(after.map((m) => m.erased)).toEqual([true, true]);
    const open = (await call<CaseView>('GET', `/api/v1/cases/${stillOpen}`, as)).body.family;
    expect(open.map((m) => m.erased)).toEqual([false, false]);

    // Nothing left to expire; the compliance figures unchanged; the DPO's list says why.
    expect((await expiring()).body.items).toEqual([]);
    expect(await job.applyOnce()).toBe(0);
    expect((await figures()).body).toEqual(JSON.parse(before));
    const erasures = await call<{ items: { subjectId: string; reason: string; erasedBy: null }[] }>(
      'GET',
      '/api/v1/erasures',
      dpo,
    );
    expect(erasures.body.items.map((e) => [e.reason, e.erasedBy])).toEqual([
      ['retention', null],
      ['retention', null],
    ]);
  });
});
