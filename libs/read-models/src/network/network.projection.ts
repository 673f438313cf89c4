import { Injectable } from '@nestjs/common';
import { assertNever, NetworkEvent } from '@relais/domain';
import { Processor, ProcessorContext, RecordedEvent, toDomainEvent } from '@relais/event-store';

/** Organisations and staff as tables, from their events; upserts make a replay harmless. */
@Injectable()
export class NetworkProjection implements Processor {
  readonly name = 'network';
  readonly eventTypes: readonly NetworkEvent['type'][] = [
    'OrganisationRegistered',
    'OrganisationUpdated',
    'StaffMemberRegistered',
    'StaffMemberUpdated',
    'StaffMemberDeactivated',
    'StaffMemberReactivated',
  ];

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    for (const event of events.map(toDomainEvent<NetworkEvent>)) {
      const { type, data } = event;
      switch (type) {
        case 'OrganisationRegistered':
          await client.query(
            `insert into organisations (id, name, kind, territory, contact_email, closure_days)
             values ($1, $2, $3, $4, $5, $6)
             on conflict (id) do update set name = $2, kind = $3, territory = $4, contact_email = $5, closure_days = $6`,
            [
              data.organisationId,
              data.name,
              data.kind,
              JSON.stringify(data.territory),
              data.contactEmail,
              data.closureDays,
            ],
          );
          break;
        case 'StaffMemberRegistered':
          await client.query(
            `insert into staff (id, organisation_id, name, email, roles, phone) values ($1, $2, $3, $4, $5, $6)
             on conflict (id) do update set organisation_id = $2, name = $3, email = $4, roles = $5, phone = $6`,
            [
              data.staffId,
              data.organisationId,
              data.name,
              data.email.toLowerCase(),
              data.roles,
              data.phone ?? null,
            ],
          );
          break;
        case 'OrganisationUpdated':
          await client.query(
            'update organisations set name = $2, contact_email = $3, closure_days = $4 where id = $1',
            [data.organisationId, data.name, data.contactEmail, data.closureDays],
          );
          break;
        case 'StaffMemberUpdated':
          // An update written before staff had a phone leaves the phone as it was.
          await client.query(
            `update staff set name = $2, roles = $3, phone = case when $5 then $4 else phone end
             where id = $1`,
            [data.staffId, data.name, data.roles, data.phone ?? null, data.phone !== undefined],
          );
          break;
        case 'StaffMemberDeactivated':
        case 'StaffMemberReactivated':
          await client.query('update staff set active = $2 where id = $1', [
            data.staffId,
            type === 'StaffMemberReactivated',
          ]);
          break;
        case 'StaffEmailReserved':
        case 'WebhookConfigured':
        case 'WebhookRemoved':
          break;
        default:
          assertNever(event);
      }
    }
  }
}
