import { inTransaction } from '@relais/database';
import { uuidFromName } from '@relais/kernel';
import { PostgresEventStore, RecordedEvent } from '@relais/event-store';
import { openTestDatabase } from '../../../../test/support/postgres';
import {
  bodyStreamId,
  meetingStreamId,
  memberServiceStreamId,
  OFFICIALS_STREAM_ID,
} from '../coordination';
import { minutesEmailDeliveryId } from '../minutes-distribution';
import {
  aBodyCreated,
  aMeetingConvened,
  aMemberServiceRegistered,
  aMinutesApproved,
  aMinutesDrafted,
  AMO_ID,
  aPersonJoined,
  aServiceJoined,
} from '../testing/builders';
import { CoordinationProjection } from './coordination.projection';
import { CoordinationQueries } from './coordination.queries';

const TABLES = [
  'coordination_members',
  'coordination_bodies',
  'coordination_body_members',
  'coordination_meetings',
  'coordination_officials',
  'coordination_minutes_deliveries',
  'coordination_meeting_protocols',
];

describe('the coordination read model', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let store: PostgresEventStore;
  let queries: CoordinationQueries;
  const projection = new CoordinationProjection();
  const recorded: RecordedEvent[] = [];

  const append = async (streamId: string, events: readonly { type: string; data: unknown }[]) => {
    await store.append(
      streamId,
      events.map((e, i) => ({ eventId: uuidFromName(`${streamId}-${recorded.length + i}`), ...e })),
    );
    recorded.push(...(await store.readStream(streamId)).slice(-events.length));
  };
  const project = (events: readonly RecordedEvent[]) =>
    inTransaction(database.pool, (client) =>
      projection.handle(events, { client, store: store.within(client) }),
    );
  const snapshot = async () => {
    const rows: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      rows[table] = (await database.pool.query(`select * from ${table} order by 1, 2`)).rows;
    }
    return rows;
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    store = new PostgresEventStore(database.pool);
    queries = new CoordinationQueries(database.pool);
    await append(memberServiceStreamId(AMO_ID), [
      aMemberServiceRegistered(AMO_ID, { organisationId: 'cpas-dinant' }),
      { type: 'CharterSigned', data: { memberId: AMO_ID, signedOn: '2025-03-01' } },
    ]);
    await append(bodyStreamId('gt-jeunesse'), [
      aBodyCreated(),
      aServiceJoined(),
      aPersonJoined('p-claire', 'staff-claire'),
    ]);
    await append(meetingStreamId('m-oct'), [
      aMeetingConvened(),
      {
        type: 'AttendanceRecorded',
        data: { meetingId: 'm-oct', attendance: [{ member: AMO_ID, status: 'present' }] },
      },
      aMinutesDrafted(),
      { type: 'ProtocolLinked', data: { meetingId: 'm-oct', protocolId: 'dinant-cpas-saj' } },
      aMinutesApproved(),
      {
        type: 'MinutesDistributed',
        data: {
          meetingId: 'm-oct',
          distributedOn: '2026-11-20',
          recipients: [
            { kind: 'official', name: 'Anne Lenoir', email: 'Presidente@cpas-dinant.be' },
          ],
        },
      },
      {
        type: 'MinutesDelivered',
        data: {
          meetingId: 'm-oct',
          channel: 'inbox',
          recipient: 'staff-claire',
          deliveryId: 'd-inbox',
          attempt: 1,
        },
      },
      {
        type: 'MinutesDelivered',
        data: {
          meetingId: 'm-oct',
          channel: 'email',
          recipient: 'presidente@cpas-dinant.be',
          deliveryId: minutesEmailDeliveryId('m-oct', 'presidente@cpas-dinant.be'),
          attempt: 1,
        },
      },
    ]);
    await append(OFFICIALS_STREAM_ID, [
      {
        type: 'PoliticalOfficialListed',
        data: {
          officialId: 'o-1',
          name: 'Anne Lenoir',
          role: 'Présidente du CPAS',
          email: 'presidente@cpas-dinant.be',
        },
      },
    ]);
  });
  afterAll(() => database.dropAndClose());

  it('shows the directory, the bodies, a meeting, its deliveries and the members’ inboxes', async () => {
    await project(recorded);
    expect(await queries.members()).toEqual([
      expect.objectContaining({
        id: AMO_ID,
        charterSignedOn: '2025-03-01',
        organisationId: 'cpas-dinant',
      }),
    ]);
    const [body] = await queries.bodies();
    expect(body?.members.map((m) => [m.key, m.name])).toEqual([
      [AMO_ID, 'AMO Le Cercle'],
      ['p-claire', 'Claire Martin'],
    ]);
    expect(await queries.meeting('m-oct')).toMatchObject({
      bodyName: 'Groupe de travail Jeunesse',
      date: '2026-10-15',
      attendance: [{ member: AMO_ID, status: 'present' }],
      minutes: {
        status: 'distributed',
        approvedAtMeetingId: 'm-nov',
        approvedOn: '2026-11-19',
        distributedOn: '2026-11-20',
      },
    });
    expect(
      (await queries.deliveries('m-oct')).map((d) => [d.channel, d.recipient, d.status]),
    ).toEqual([
      ['email', 'presidente@cpas-dinant.be', 'delivered'],
      ['inbox', 'staff-claire', 'delivered'],
    ]);
    expect((await queries.minutesInbox('staff-claire')).map((e) => e.meetingId)).toEqual(['m-oct']);
    expect((await queries.officials()).map((o) => o.name)).toEqual(['Anne Lenoir']);
    expect(await queries.originsOf('dinant-cpas-saj')).toEqual([
      {
        meetingId: 'm-oct',
        bodyId: 'gt-jeunesse',
        bodyName: 'Groupe de travail Jeunesse',
        date: '2026-10-15',
      },
    ]);
  });

  it('reads a body for whoever sits in it, in person or through their organisation', async () => {
    expect(
      await queries.sitsIn('gt-jeunesse', {
        staffId: 'staff-claire',
        organisationId: 'saj-dinant',
      }),
    ).toBe(true);
    expect(
      await queries.sitsIn('gt-jeunesse', { staffId: 'someone', organisationId: 'cpas-dinant' }),
    ).toBe(true);
    expect(
      await queries.sitsIn('gt-jeunesse', { staffId: 'someone', organisationId: 'cpas-ciney' }),
    ).toBe(false);
    expect(await queries.bodies({ staffId: 'someone', organisationId: 'cpas-ciney' })).toEqual([]);
  });

  it('is idempotent when run twice', async () => {
    const once = await snapshot();
    await project(recorded);
    expect(await snapshot()).toEqual(once);
  });
});
