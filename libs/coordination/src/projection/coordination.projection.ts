import { Injectable } from '@nestjs/common';
import type { SqlTransaction } from '@relais/database';
import { assertNever } from '@relais/domain';
import { Processor, ProcessorContext, RecordedEvent, toDomainEvent } from '@relais/event-store';
import { BodyEvent, memberKey } from '../body';
import { MeetingEvent, MEETING_EVENT_TYPES } from '../meeting';
import { MemberServiceEvent } from '../member-service';
import { minutesEmailDeliveryId } from '../minutes-distribution';
import { PoliticalOfficialEvent } from '../political-officials';

type CoordinationEvent = MemberServiceEvent | BodyEvent | MeetingEvent | PoliticalOfficialEvent;

export const COORDINATION_EVENT_TYPES: readonly CoordinationEvent['type'][] = [
  'MemberServiceRegistered',
  'MemberServiceUpdated',
  'CharterSigned',
  'BodyCreated',
  'BodyMemberJoined',
  'BodyMemberLeft',
  ...MEETING_EVENT_TYPES,
  'PoliticalOfficialListed',
  'PoliticalOfficialUpdated',
  'PoliticalOfficialRemoved',
];

/** The directory, bodies, meetings, officials and minutes' deliveries as tables; upserts make a replay harmless. */
@Injectable()
export class CoordinationProjection implements Processor {
  readonly name = 'coordination';
  readonly eventTypes = COORDINATION_EVENT_TYPES;

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    for (const recorded of events) {
      await apply(client, toDomainEvent<CoordinationEvent>(recorded), recorded);
    }
  }
}

async function apply(
  client: SqlTransaction,
  event: CoordinationEvent,
  recorded: RecordedEvent,
): Promise<void> {
  switch (event.type) {
    case 'MemberServiceRegistered':
    case 'MemberServiceUpdated': {
      const d = event.data;
      await client.query(
        `insert into coordination_members (id, name, sector, fields, address, contact, services_offered, organisation_id, charter_signed_on)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (id) do update set name = $2, sector = $3, fields = $4, address = $5, contact = $6,
           services_offered = $7, organisation_id = $8,
           charter_signed_on = coalesce($9, coordination_members.charter_signed_on)`,
        [
          d.memberId,
          d.name,
          d.sector,
          d.fields,
          JSON.stringify(d.address),
          JSON.stringify(d.contact),
          d.servicesOffered,
          d.organisationId ?? null,
          event.type === 'MemberServiceRegistered' ? (event.data.charterSignedOn ?? null) : null,
        ],
      );
      return;
    }
    case 'CharterSigned':
      await client.query('update coordination_members set charter_signed_on = $2 where id = $1', [
        event.data.memberId,
        event.data.signedOn,
      ]);
      return;
    case 'BodyCreated':
      await client.query(
        `insert into coordination_bodies (id, kind, name, theme) values ($1, $2, $3, $4)
         on conflict (id) do update set kind = $2, name = $3, theme = $4`,
        [event.data.bodyId, event.data.kind, event.data.name, event.data.theme],
      );
      return;
    case 'BodyMemberJoined': {
      const { bodyId, member } = event.data;
      await client.query(
        `insert into coordination_body_members (body_id, key, member, staff_id, member_id, position)
         values ($1, $2, $3, $4, $5, $6) on conflict (body_id, key) do nothing`,
        [
          bodyId,
          memberKey(member),
          JSON.stringify(member),
          member.kind === 'person' ? (member.staffId ?? null) : null,
          member.memberId ?? null,
          recorded.globalPosition,
        ],
      );
      return;
    }
    case 'BodyMemberLeft':
      await client.query('delete from coordination_body_members where body_id = $1 and key = $2', [
        event.data.bodyId,
        event.data.member,
      ]);
      return;
    case 'MeetingConvened': {
      const d = event.data;
      await client.query(
        `insert into coordination_meetings (id, body_id, date, place, agenda) values ($1, $2, $3, $4, $5)
         on conflict (id) do nothing`,
        [d.meetingId, d.bodyId, d.date, d.place, JSON.stringify(d.agenda)],
      );
      return;
    }
    case 'AttendanceRecorded':
      await client.query('update coordination_meetings set attendance = $2 where id = $1', [
        event.data.meetingId,
        JSON.stringify(event.data.attendance),
      ]);
      return;
    case 'MinutesDrafted':
      await client.query(
        `update coordination_meetings set minutes_text = $2, minutes_status = 'drafted' where id = $1`,
        [event.data.meetingId, event.data.text],
      );
      return;
    case 'MinutesApproved':
      await client.query(
        `update coordination_meetings set minutes_status = 'approved', approved_at_meeting_id = $2, approved_on = $3
         where id = $1`,
        [event.data.meetingId, event.data.approvedAtMeetingId, event.data.approvedOn],
      );
      return;
    case 'MinutesDistributed': {
      const { meetingId, distributedOn, recipients } = event.data;
      await client.query(
        `update coordination_meetings set minutes_status = 'distributed', distributed_on = $2 where id = $1`,
        [meetingId, distributedOn],
      );
      for (const { email } of recipients) {
        await client.query(
          `insert into coordination_minutes_deliveries (delivery_id, meeting_id, channel, recipient, status)
           values ($1, $2, 'email', $3, 'pending') on conflict do nothing`,
          [minutesEmailDeliveryId(meetingId, email), meetingId, email.toLowerCase()],
        );
      }
      return;
    }
    case 'ProtocolLinked':
      await client.query(
        `insert into coordination_meeting_protocols (meeting_id, protocol_id) values ($1, $2)
         on conflict do nothing`,
        [event.data.meetingId, event.data.protocolId],
      );
      return;
    case 'MinutesDelivered':
    case 'MinutesDeliveryFailed': {
      const d = event.data;
      const status =
        event.type === 'MinutesDelivered'
          ? 'delivered'
          : event.data.deadLettered
            ? 'dead'
            : 'retrying';
      // Outcomes of one delivery are applied in commit order; a delivered one stays delivered.
      await client.query(
        `insert into coordination_minutes_deliveries (delivery_id, meeting_id, channel, recipient, status, attempts, at)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (delivery_id) do update set status = $5, attempts = $6, at = $7
           where coordination_minutes_deliveries.status <> 'delivered'`,
        [d.deliveryId, d.meetingId, d.channel, d.recipient, status, d.attempt, recorded.recordedAt],
      );
      return;
    }
    case 'PoliticalOfficialListed':
    case 'PoliticalOfficialUpdated': {
      const d = event.data;
      await client.query(
        `insert into coordination_officials (id, name, role, email, staff_id, position) values ($1, $2, $3, $4, $5, $6)
         on conflict (id) do update set name = $2, role = $3, email = $4, staff_id = $5`,
        [d.officialId, d.name, d.role, d.email, d.staffId ?? null, recorded.globalPosition],
      );
      return;
    }
    case 'PoliticalOfficialRemoved':
      await client.query('delete from coordination_officials where id = $1', [
        event.data.officialId,
      ]);
      return;
    default:
      assertNever(event);
  }
}
