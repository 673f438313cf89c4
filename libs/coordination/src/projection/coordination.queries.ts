import { Injectable } from '@nestjs/common';
import type {
  BodyMember,
  BodyView,
  MeetingView,
  MemberServiceView,
  MinutesDeliveryView,
  MinutesInboxEntry,
  PoliticalOfficialView,
  ProtocolOrigin,
} from '@relais/wire';
import { Pool } from 'pg';

/** Who reads: a member sits in a body as a person (their account) or through their organisation. */
export interface Reader {
  readonly staffId: string;
  readonly organisationId: string;
}

const MEMBER = `select id, name, sector, fields, address, contact, services_offered as "servicesOffered",
  to_char(charter_signed_on, 'YYYY-MM-DD') as "charterSignedOn", organisation_id as "organisationId"
  from coordination_members`;

const MEETING = `select m.id, m.body_id as "bodyId", b.name as "bodyName", to_char(m.date, 'YYYY-MM-DD') as date,
  m.place, m.agenda, m.attendance,
  json_build_object('status', m.minutes_status, 'text', m.minutes_text,
    'approvedAtMeetingId', m.approved_at_meeting_id,
    'approvedOn', to_char(m.approved_on, 'YYYY-MM-DD'),
    'distributedOn', to_char(m.distributed_on, 'YYYY-MM-DD')) as minutes,
  array(select protocol_id from coordination_meeting_protocols p where p.meeting_id = m.id
    order by protocol_id) as "protocolIds"
  from coordination_meetings m join coordination_bodies b on b.id = m.body_id`;

/** The bodies a reader sits in, as a person or through a member service that is their organisation. */
const SITS_IN = `exists (select 1 from coordination_body_members bm
  where bm.body_id = %BODY% and (bm.staff_id = $1 or bm.member_id in
    (select id from coordination_members where organisation_id = $2)))`;

const sitsIn = (bodyColumn: string) => SITS_IN.replace('%BODY%', bodyColumn);

@Injectable()
export class CoordinationQueries {
  constructor(private readonly pool: Pool) {}

  async members(): Promise<MemberServiceView[]> {
    const { rows } = await this.pool.query<MemberServiceView>(`${MEMBER} order by name, id`);
    return rows;
  }

  async member(id: string): Promise<MemberServiceView | undefined> {
    const { rows } = await this.pool.query<MemberServiceView>(`${MEMBER} where id = $1`, [id]);
    return rows[0];
  }

  /** Every body, or with a reader only those they sit in. */
  async bodies(reader?: Reader): Promise<BodyView[]> {
    const { rows } = await this.pool.query<Omit<BodyView, 'members'>>(
      `select id, kind, name, theme from coordination_bodies b
       where $1::text is null or ${sitsIn('b.id')} order by name, id`,
      [reader?.staffId ?? null, reader?.organisationId ?? null],
    );
    const members = await this.membersOf(rows.map((r) => r.id));
    return rows.map((body) => ({ ...body, members: members.get(body.id) ?? [] }));
  }

  async body(id: string): Promise<BodyView | undefined> {
    const { rows } = await this.pool.query<Omit<BodyView, 'members'>>(
      'select id, kind, name, theme from coordination_bodies where id = $1',
      [id],
    );
    const body = rows[0];
    return body && { ...body, members: (await this.membersOf([id])).get(id) ?? [] };
  }

  async sitsIn(bodyId: string, reader: Reader): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `select 1 from coordination_bodies b where b.id = $3 and ${sitsIn('b.id')}`,
      [reader.staffId, reader.organisationId, bodyId],
    );
    return (rowCount ?? 0) > 0;
  }

  private async membersOf(bodyIds: readonly string[]) {
    const { rows } = await this.pool.query<{
      bodyId: string;
      key: string;
      member: BodyMember;
      name: string;
    }>(
      `select bm.body_id as "bodyId", bm.key, bm.member,
         coalesce(bm.member->>'name', s.name, bm.key) as name
       from coordination_body_members bm left join coordination_members s on s.id = bm.member_id
       where bm.body_id = any($1::text[]) order by bm.position`,
      [bodyIds],
    );
    const byBody = new Map<string, BodyView['members'][number][]>();
    for (const { bodyId, key, member, name } of rows) {
      byBody.set(bodyId, [...(byBody.get(bodyId) ?? []), { ...member, key, name }]);
    }
    return byBody;
  }

  async meetings(bodyId: string): Promise<MeetingView[]> {
    const { rows } = await this.pool.query<MeetingView>(
      `${MEETING} where m.body_id = $1 order by m.date desc, m.id`,
      [bodyId],
    );
    return rows;
  }

  async meeting(id: string): Promise<MeetingView | undefined> {
    const { rows } = await this.pool.query<MeetingView>(`${MEETING} where m.id = $1`, [id]);
    return rows[0];
  }

  /** The meetings a protocol was drafted from, oldest first: where it came from. */
  async originsOf(protocolId: string): Promise<ProtocolOrigin[]> {
    const { rows } = await this.pool.query<ProtocolOrigin>(
      `select m.id as "meetingId", m.body_id as "bodyId", b.name as "bodyName",
         to_char(m.date, 'YYYY-MM-DD') as date
       from coordination_meeting_protocols p
       join coordination_meetings m on m.id = p.meeting_id
       join coordination_bodies b on b.id = m.body_id
       where p.protocol_id = $1 order by m.date, m.id`,
      [protocolId],
    );
    return rows;
  }

  async officials(): Promise<PoliticalOfficialView[]> {
    const { rows } = await this.pool.query<PoliticalOfficialView>(
      `select id, name, role, email, staff_id as "staffId" from coordination_officials order by position`,
    );
    return rows;
  }

  async deliveries(meetingId: string): Promise<MinutesDeliveryView[]> {
    const { rows } = await this.pool.query<MinutesDeliveryView>(
      `select delivery_id as "deliveryId", channel, recipient, status, attempts, at
       from coordination_minutes_deliveries where meeting_id = $1 order by channel, recipient`,
      [meetingId],
    );
    return rows;
  }

  /** The approved minutes delivered to an account's inbox, newest meeting first. */
  async minutesInbox(staffId: string): Promise<MinutesInboxEntry[]> {
    const { rows } = await this.pool.query<MinutesInboxEntry>(
      `select m.id as "meetingId", m.body_id as "bodyId", b.name as "bodyName",
         to_char(m.date, 'YYYY-MM-DD') as date, d.at as "deliveredAt"
       from coordination_minutes_deliveries d
       join coordination_meetings m on m.id = d.meeting_id
       join coordination_bodies b on b.id = m.body_id
       where d.channel = 'inbox' and d.recipient = $1 order by m.date desc`,
      [staffId],
    );
    return rows;
  }
}
