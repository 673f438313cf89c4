import { PostgresEventStore } from '@relais/event-store';
import { Inbox } from '@relais/read-models';
import { DeadlineWatcher } from '../../apps/worker/src/deadlines/deadline-watcher.service';
import { ProtocolEngineProcessor } from '../../apps/worker/src/protocol-engine/protocol-engine.processor';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

interface Notification {
  id: string;
  caseId: string;
  from: string;
  ruleId: string;
  dueOn: string;
  acknowledgementDueOn: string | null;
  data: Record<string, unknown>;
  status: string;
  escalatedOn: string | null;
  breachedOn: string | null;
}

describe('the Dinant protocol at work', () => {
  let relais: TestRelais;
  let as: string;
  let delegue: string;
  let asRochefort: string;
  let asDinant: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    as = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
    asRochefort = await relais.token('as@cpas-rochefort.demo');
    asDinant = await relais.token('as@cpas-dinant.demo');
  });
  afterAll(() => relais.close());

  async function call<T>(method: string, path: string, token: string, body?: unknown) {
    const response = await fetch(`${relais.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function aCaseWithTheSaj(): Promise<string> {
    const opened = await call<{ caseId: string }>('POST', '/api/v1/cases', as, {
      occurredOn: '2026-11-02',
      residenceCommune: '91030',
      legalBasis: 'legal_obligation',
      familyMembers: [{ role: 'parent', firstName: 'Céline', lastName: 'Dumont' }],
    });
    await call('POST', `/api/v1/cases/${opened.body.caseId}/events`, as, {
      type: 'PartnerJoined',
      occurredOn: '2026-11-03',
      organisationId: 'saj-dinant',
      assignedStaffIds: [],
      legalBasis: 'judicial_mandate',
    });
    return opened.body.caseId;
  }

  async function inboxOf(token: string, caseId: string, ruleId: string): Promise<Notification> {
    let found: Notification | undefined;
    await eventually(async () => {
      const inbox = await call<Notification[]>('GET', '/api/v1/inbox', token);
      if (!Array.isArray(inbox.body)) throw new Error(`GET /api/v1/inbox answered ${inbox.status}`);
      found = inbox.body.find((n) => n.caseId === caseId && n.ruleId === ruleId);
      return found !== undefined;
    });
    return found as Notification;
  }

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
    expect([stranger.status, stranger.body.code]).toEqual([422, 'NOT_THE_RECIPIENT']);
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
  });
});
