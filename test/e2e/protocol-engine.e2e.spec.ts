import { PostgresEventStore } from '@relais/event-store';
import { DeadlineWatcher, Inbox, ProtocolEngineProcessor } from '@relais/obligations';
import {
  aCaseWhoseSajLostItsLegalBasis,
  aCaseWithTheSaj as aCase,
  apiOf,
  Call,
  notificationIn,
} from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

describe('the Dinant protocol at work', () => {
  let relais: TestRelais;
  let as: string;
  let delegue: string;
  let asRochefort: string;
  let asDinant: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    asRochefort = await relais.token('as@cpas-rochefort.demo');
    asDinant = await relais.token('as@cpas-dinant.demo');
  });
  afterAll(() => relais.close());

  let call: Call;
  const aCaseWithTheSaj = (assigned: readonly string[] = []) => aCase(call, as, assigned);
  const inboxOf = (token: string, caseId: string, ruleId: string) =>
    notificationIn(call, token, caseId, ruleId);

  /** A case with the SAJ, a RIS suppression logged by CPAS Ciney, and its notification to the SAJ. */
  async function aRisSuppressionNotification(occurredOn = '2026-11-20') {
    const caseId = await aCaseWithTheSaj();
    await call('POST', `/api/v1/cases/${caseId}/events`, as, {
      type: 'RisSuppressed',
      occurredOn,
      reason: 'other',
      effectiveOn: occurredOn,
    });
    return { caseId, notification: await inboxOf(delegue, caseId, 'cpas-ris-suppressed') };
  }

  /** The SAJ's notification read straight from the inbox, for when the clock has outlived a token. */
  async function fromInbox(id: string) {
    return (await relais.app.get(Inbox).forOrganisation('saj-dinant')).find((n) => n.id === id);
  }

  it('a RIS suppression logged by CPAS Ciney reaches the SAJ Dinant inbox, due in 5 working days, with only the allowed fields', async () => {
    const caseId = await aCaseWithTheSaj();
    const logged = await call('POST', `/api/v1/cases/${caseId}/events`, as, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-20',
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });
    expect(logged.status).toBe(201);
    const notification = await inboxOf(delegue, caseId, 'cpas-ris-suppressed');
    expect(notification).toMatchObject({
      from: 'cpas-ciney',
      dueOn: '2026-11-27',
      acknowledgementDueOn: '2026-11-27',
      status: 'open',
      data: {
        occurredOn: '2026-11-20',
        reason: 'resources_above_threshold',
        effectiveOn: '2026-12-01',
      },
    });
    expect(Object.keys(notification.data).sort()).toEqual(['effectiveOn', 'occurredOn', 'reason']);
  });

  it('acknowledging closes the notification; only the recipient can, and only once', async () => {
    const { caseId, notification } = await aRisSuppressionNotification();
    const stranger = await call<{ code: string }>(
      'POST',
      `/api/v1/notifications/${notification.id}/acknowledge`,
      asDinant,
    );
    // Answered as a notification that does not exist: whether it exists is not the stranger's to know.
    expect([stranger.status, stranger.body.code]).toEqual([404, 'OBLIGATION_NOT_FOUND']);
    expect(
      (await call('POST', `/api/v1/notifications/${notification.id}/acknowledge`, delegue)).status,
    ).toBe(200);
    const again = await call<{ code: string }>(
      'POST',
      `/api/v1/notifications/${notification.id}/acknowledge`,
      delegue,
    );
    expect([again.status, again.body.code]).toEqual([422, 'ALREADY_ACKNOWLEDGED']);
    await eventually(
      async () => (await inboxOf(delegue, caseId, 'cpas-ris-suppressed')).status === 'acknowledged',
    );
  });

  it('a move from Ciney to Rochefort tells the SAJ and CPAS Rochefort', async () => {
    const caseId = await aCaseWithTheSaj();
    await call('POST', `/api/v1/cases/${caseId}/events`, as, {
      type: 'FamilyRelocated',
      occurredOn: '2026-11-19',
      destinationCommune: '91114',
      effectiveOn: '2026-11-19',
    });
    const toSaj = await inboxOf(delegue, caseId, 'cpas-family-relocated');
    const toRochefort = await inboxOf(asRochefort, caseId, 'cpas-family-relocated');
    expect(toSaj.dueOn).toBe('2026-11-26');
    expect(toRochefort.data).toEqual({
      occurredOn: '2026-11-19',
      fromCommune: '91030',
      destinationCommune: '91114',
      effectiveOn: '2026-11-19',
    });
  });

  it('opens nothing new when the engine replays every event', async () => {
    await aRisSuppressionNotification();
    const { pool } = relais.database;
    const count = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            "select count(*) as n from events where type = 'ObligationOpened'",
          )
        ).rows[0]?.n,
      );
    const before = await count();
    const store = relais.app.get(PostgresEventStore);
    const { events } = await store.readAll({ maxCount: 1_000_000 });
    const client = await pool.connect();
    try {
      await client.query('begin');
      await relais.app
        .get(ProtocolEngineProcessor)
        .handle(events, { client, store: store.within(client) });
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(before).toBeGreaterThan(0);
    expect(await count()).toBe(before);
  });

  it('escalates an unacknowledged notification after its due date, then breaches it, on time (moved clock)', async () => {
    const { notification } = await aRisSuppressionNotification();
    expect(notification.acknowledgementDueOn).toBe('2026-11-27');
    const watcher = relais.app.get(DeadlineWatcher);
    const current = () => fromInbox(notification.id);
    try {
      relais.clock.set(new Date('2026-11-27T18:00:00+01:00')); // the due day itself: nothing yet
      await watcher.checkOnce();
      expect(await current()).toMatchObject({ escalatedOn: null, breachedOn: null });

      relais.clock.set(new Date('2026-11-30T09:00:00+01:00')); // Monday after: escalated, within its window
      await Promise.all([watcher.checkOnce(), watcher.checkOnce()]); // two workers at once
      await eventually(async () => (await current())?.escalatedOn === '2026-11-30');
      expect((await current())?.breachedOn).toBeNull();

      relais.clock.set(new Date('2026-12-02T09:00:00+01:00')); // two working days later: breached
      await watcher.checkOnce();
      await eventually(async () => (await current())?.breachedOn === '2026-12-02');

      const { rows } = await relais.database.pool.query<{ type: string }>(
        'select type from events where stream_id = $1 order by stream_position',
        [`obligation-${notification.id}`],
      );
      expect(rows.map((r) => r.type)).toEqual([
        'ObligationOpened',
        'ObligationEscalated',
        'ObligationBreached',
      ]);
    } finally {
      relais.clock.set(new Date('2026-11-20T10:00:00+01:00'));
    }
  });

  it('breaches a notification acknowledged after its acknowledgement due date (moved clock)', async () => {
    const { notification } = await aRisSuppressionNotification();
    try {
      relais.clock.set(new Date('2026-11-30T09:00:00+01:00')); // due on the 27th
      const late = await relais.token('delegue1@saj-dinant.demo');
      expect(
        (await call('POST', `/api/v1/notifications/${notification.id}/acknowledge`, late)).status,
      ).toBe(200);
      await eventually(async () => (await fromInbox(notification.id))?.breachedOn === '2026-11-30');
      expect((await fromInbox(notification.id))?.status).toBe('acknowledged');
    } finally {
      relais.clock.set(new Date('2026-11-20T10:00:00+01:00'));
    }
  });

  it('never escalates an acknowledged notification', async () => {
    const { caseId, notification } = await aRisSuppressionNotification();
    await call('POST', `/api/v1/notifications/${notification.id}/acknowledge`, delegue);
    await eventually(
      async () => (await inboxOf(delegue, caseId, 'cpas-ris-suppressed')).status === 'acknowledged',
    );
    try {
      relais.clock.set(new Date('2026-12-10T09:00:00+01:00'));
      await relais.app.get(DeadlineWatcher).checkOnce();
      await new Promise((r) => setTimeout(r, 300));
      expect(await fromInbox(notification.id)).toMatchObject({
        status: 'acknowledged',
        escalatedOn: null,
        breachedOn: null,
      });
    } finally {
      relais.clock.set(new Date('2026-11-20T10:00:00+01:00'));
    }
  });

  it('breaches an obligation logged after its deadline at once, and tells the obliged party’s managers', async () => {
    // Occurred on Monday 9 November: due on the 17th (11 November is a holiday); logged on the 20th.
    const { caseId, notification } = await aRisSuppressionNotification('2026-11-09');
    expect(notification.dueOn).toBe('2026-11-17');
    await eventually(
      async () =>
        (await inboxOf(delegue, caseId, 'cpas-ris-suppressed')).breachedOn === '2026-11-20',
    );
    const { rows } = await relais.database.pool.query<{
      type: string;
      data: { to?: string; reason: string };
    }>('select type, data from events where stream_id = $1 order by stream_position', [
      `obligation-${notification.id}`,
    ]);
    expect(rows.map((r) => [r.type, r.data.reason ?? null, r.data.to ?? null])).toEqual([
      ['ObligationOpened', null, null],
      ['ObligationBreached', 'logged_late', null],
      ['ObligationEscalated', 'logged_late', 'obliged_managers'],
    ]);
    // The recipient's side is not escalated for the obliged party's lateness…
    expect((await fromInbox(notification.id))?.escalatedOn).toBeNull();
    // …but is when its own acknowledgement is overdue (due Friday 27th), breached already or not.
    try {
      relais.clock.set(new Date('2026-11-30T09:00:00+01:00'));
      await relais.app.get(DeadlineWatcher).checkOnce();
      await eventually(
        async () => (await fromInbox(notification.id))?.escalatedOn === '2026-11-30',
      );
    } finally {
      relais.clock.set(new Date('2026-11-20T10:00:00+01:00'));
    }
    const after = await relais.database.pool.query<{ type: string; to: string | null }>(
      `select type, data->>'to' as to from events where stream_id = $1 order by stream_position`,
      [`obligation-${notification.id}`],
    );
    expect(after.rows.slice(3)).toEqual([
      { type: 'ObligationEscalated', to: 'recipient_managers' },
    ]);
  });

  describe('inboxes of staff, the obliged party’s view, and fulfilment outside Relais', () => {
    let delegue2: string;
    let chefSaj: string;

    beforeAll(async () => {
      delegue2 = await relais.token('delegue2@saj-dinant.demo');
      chefSaj = await relais.token('chef@saj-dinant.demo');
    });

    async function staffId(email: string): Promise<string> {
      const staff = await call<{ id: string; email: string }[]>(
        'GET',
        '/api/v1/staff?organisationId=saj-dinant',
        delegue,
      );
      const found = staff.body.find((s) => s.email === email);
      if (!found) throw new Error(`no staff member ${email}`);
      return found.id;
    }

    async function logRisSuppression(caseId: string) {
      const logged = await call<{ eventIds: string[] }>(
        'POST',
        `/api/v1/cases/${caseId}/events`,
        as,
        {
          type: 'RisSuppressed',
          occurredOn: '2026-11-20',
          reason: 'other',
          effectiveOn: '2026-11-20',
        },
      );
      expect(logged.status).toBe(201);
      return logged.body.eventIds[0] as string;
    }

    it('shows each assigned delegate the notification in their own inbox, and the organisation’s to all', async () => {
      const caseId = await aCaseWithTheSaj([await staffId('delegue2@saj-dinant.demo')]);
      await logRisSuppression(caseId);
      const forDelegue2 = await inboxOf(delegue2, caseId, 'cpas-ris-suppressed');
      expect(forDelegue2.assignedToMe).toBe(true);
      expect((await inboxOf(delegue, caseId, 'cpas-ris-suppressed')).assignedToMe).toBe(false);
      expect((await inboxOf(chefSaj, caseId, 'cpas-ris-suppressed')).status).toBe('open');

      const mine = (token: string) =>
        call<{ caseId: string }[]>('GET', '/api/v1/inbox?scope=mine', token);
      expect((await mine(delegue2)).body.map((n) => n.caseId)).toContain(caseId);
      expect((await mine(delegue)).body.map((n) => n.caseId)).not.toContain(caseId);
      const bad = await call<{ errors: { field: string }[] }>(
        'GET',
        '/api/v1/inbox?scope=everyone',
        delegue,
      );
      expect([bad.status, bad.body.errors[0]?.field]).toEqual([400, 'scope']);
    });

    it('shows a blocked obligation to the obliged party, sends the recipient nothing, and closes it when told outside Relais', async () => {
      const caseId = await aCaseWhoseSajLostItsLegalBasis(call, as);
      const log = (body: Record<string, unknown>) =>
        call<{ eventIds: string[] }>('POST', `/api/v1/cases/${caseId}/events`, as, body);
      const ris = await logRisSuppression(caseId);

      type Outgoing = {
        id: string;
        caseId: string;
        recipientOrganisationId: string;
        status: string;
      };
      let blocked: Outgoing | undefined;
      await eventually(async () => {
        const outgoing = await call<Outgoing[]>(
          'GET',
          '/api/v1/outgoing?status=blocked_no_legal_basis',
          as,
        );
        blocked = outgoing.body.find((o) => o.caseId === caseId);
        return blocked !== undefined;
      });
      expect(blocked).toMatchObject({ recipientOrganisationId: 'saj-dinant' });
      const onTheCase = await call<Outgoing[]>('GET', `/api/v1/cases/${caseId}/obligations`, as);
      expect(onTheCase.body.map((o) => [o.recipientOrganisationId, o.status])).toEqual([
        ['saj-dinant', 'blocked_no_legal_basis'],
      ]);
      const sajInbox = await call<{ caseId: string }[]>('GET', '/api/v1/inbox', delegue);
      expect(sajInbox.body.map((n) => n.caseId)).not.toContain(caseId);
      const { rows } = await relais.database.pool.query<{ n: string }>(
        'select count(*) as n from outbox where obligation_id = $1',
        [blocked?.id],
      );
      expect(rows[0]?.n).toBe('0');

      // The social worker phones the SAJ and logs it: the obligation is fulfilled outside Relais.
      await log({
        type: 'InformationSharedOutsideRelais',
        occurredOn: '2026-11-20',
        channel: 'phone',
        sharedWith: 'saj-dinant',
        about: 'RisSuppressed',
        aboutEventId: ris,
      });
      await eventually(async () => {
        const outgoing = await call<Outgoing[]>('GET', `/api/v1/cases/${caseId}/obligations`, as);
        return outgoing.body[0]?.status === 'fulfilled_outside';
      });
      const bad = await call<{ errors: { field: string }[] }>(
        'GET',
        '/api/v1/outgoing?status=late',
        as,
      );
      expect([bad.status, bad.body.errors[0]?.field]).toEqual([400, 'status']);
      const stranger = await call('GET', `/api/v1/cases/${caseId}/obligations`, asDinant);
      expect(stranger.status).toBe(404);
    });

    it('fulfils an open obligation told by phone: no escalation follows, and the recipient may still acknowledge', async () => {
      const caseId = await aCaseWithTheSaj();
      const ris = await logRisSuppression(caseId);
      const notification = await inboxOf(delegue, caseId, 'cpas-ris-suppressed');
      await call('POST', `/api/v1/cases/${caseId}/events`, as, {
        type: 'InformationSharedOutsideRelais',
        occurredOn: '2026-11-20',
        channel: 'phone',
        sharedWith: 'saj-dinant',
        about: 'RisSuppressed',
        aboutEventId: ris,
      });
      const fulfilled = await notificationIn(
        call,
        delegue,
        caseId,
        'cpas-ris-suppressed',
        (n) => n.status === 'fulfilled_outside',
      );
      expect(fulfilled.fulfilledOutsideOn).toBe('2026-11-20');
      try {
        relais.clock.set(new Date('2026-12-10T09:00:00+01:00'));
        await relais.app.get(DeadlineWatcher).checkOnce(); // escalates the demo cases' notifications, not this one
      } finally {
        relais.clock.set(new Date('2026-11-20T10:00:00+01:00'));
      }
      const { rows } = await relais.database.pool.query<{ type: string }>(
        'select type from events where stream_id = $1 order by stream_position',
        [`obligation-${notification.id}`],
      );
      expect(rows.map((r) => r.type)).toEqual([
        'ObligationOpened',
        'ObligationFulfilledOutsideRelais',
      ]);
      expect(
        (await call('POST', `/api/v1/notifications/${notification.id}/acknowledge`, delegue))
          .status,
      ).toBe(200);
    });
  });
});
