import { Injectable } from '@nestjs/common';
import { Migration } from '@relais/database';
import { ObligationEvent } from '@relais/domain';
import { Processor, ProcessorContext, RecordedEvent, toDomainEvent } from '@relais/event-store';
import { Pool } from 'pg';

export const inboxMigrations: readonly Migration[] = [
  {
    id: '0410_inbox',
    sql: `
create table inbox (
  obligation_id text primary key,
  recipient_organisation_id text not null,
  obliged_organisation_id text not null,
  case_id text not null,
  protocol_id text not null,
  rule_id text not null,
  event_type text not null,
  occurred_on date not null,
  due_on date not null,
  acknowledgement_due_on date,
  shared_data jsonb not null,
  status text not null,
  opened_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by text
);
create index inbox_recipient on inbox (recipient_organisation_id, status);
`,
  },
];

/** Each organisation's notifications: what a rule told it, with only the data the rule allows. */
@Injectable()
export class InboxProjection implements Processor {
  readonly name = 'inbox';
  readonly eventTypes: readonly ObligationEvent['type'][] = [
    'ObligationOpened',
    'ObligationAcknowledged',
  ];

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    for (const recorded of events) {
      const event = toDomainEvent<ObligationEvent>(recorded);
      switch (event.type) {
        case 'ObligationOpened': {
          const d = event.data;
          await client.query(
            `insert into inbox (obligation_id, recipient_organisation_id, obliged_organisation_id, case_id, protocol_id,
               rule_id, event_type, occurred_on, due_on, acknowledgement_due_on, shared_data, status, opened_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             on conflict (obligation_id) do nothing`,
            [
              d.obligationId,
              d.recipientOrganisationId,
              d.obligedOrganisationId,
              d.caseId,
              d.protocolId,
              d.ruleId,
              d.eventType,
              d.occurredOn,
              d.dueOn,
              d.acknowledgementDueOn,
              JSON.stringify(d.sharedData),
              d.status,
              recorded.recordedAt,
            ],
          );
          break;
        }
        case 'ObligationAcknowledged':
          await client.query(
            `update inbox set status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3 where obligation_id = $1`,
            [event.data.obligationId, recorded.recordedAt, event.data.acknowledgedBy],
          );
          break;
      }
    }
  }
}

export interface Notification {
  readonly id: string;
  readonly caseId: string;
  readonly from: string;
  readonly protocolId: string;
  readonly ruleId: string;
  readonly eventType: string;
  readonly occurredOn: string;
  readonly dueOn: string;
  readonly acknowledgementDueOn: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly status: 'open' | 'acknowledged';
  readonly receivedAt: Date;
  readonly acknowledgedAt: Date | null;
}

@Injectable()
export class Inbox {
  constructor(private readonly pool: Pool) {}

  /** Unread first, then the newest. Blocked obligations never reach the recipient. */
  async forOrganisation(organisationId: string): Promise<Notification[]> {
    const { rows } = await this.pool.query<Notification>(
      `select obligation_id as id, case_id as "caseId", obliged_organisation_id as "from", protocol_id as "protocolId",
         rule_id as "ruleId", event_type as "eventType", to_char(occurred_on, 'YYYY-MM-DD') as "occurredOn",
         to_char(due_on, 'YYYY-MM-DD') as "dueOn", to_char(acknowledgement_due_on, 'YYYY-MM-DD') as "acknowledgementDueOn",
         shared_data as data, status, opened_at as "receivedAt", acknowledged_at as "acknowledgedAt"
       from inbox
       where recipient_organisation_id = $1 and status <> 'blocked_no_legal_basis'
       order by status = 'acknowledged', opened_at desc`,
      [organisationId],
    );
    return rows;
  }
}
