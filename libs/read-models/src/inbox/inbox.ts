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
  {
    id: '0411_inbox_deadlines',
    sql: `alter table inbox add column escalated_on date, add column breached_on date;
create index inbox_deadlines on inbox (acknowledgement_due_on) where status = 'open' and breached_on is null;`,
  },
];

/** Each organisation's notifications: what a rule told it, with only the data the rule allows. */
@Injectable()
export class InboxProjection implements Processor {
  readonly name = 'inbox';
  readonly eventTypes: readonly ObligationEvent['type'][] = [
    'ObligationOpened',
    'ObligationAcknowledged',
    'ObligationEscalated',
    'ObligationBreached',
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
        case 'ObligationEscalated':
          await client.query('update inbox set escalated_on = $2 where obligation_id = $1', [
            event.data.obligationId,
            event.data.on,
          ]);
          break;
        case 'ObligationBreached':
          await client.query('update inbox set breached_on = $2 where obligation_id = $1', [
            event.data.obligationId,
            event.data.on,
          ]);
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
  readonly escalatedOn: string | null;
  readonly breachedOn: string | null;
}

/** An obligation whose acknowledgement is overdue: the deadline watcher's durable timer. */
export interface OverdueObligation {
  readonly obligationId: string;
  readonly recipientOrganisationId: string;
  readonly acknowledgementDueOn: string;
}

@Injectable()
export class Inbox {
  constructor(private readonly pool: Pool) {}

  async overdue(today: string): Promise<OverdueObligation[]> {
    const { rows } = await this.pool.query<OverdueObligation>(
      `select obligation_id as "obligationId", recipient_organisation_id as "recipientOrganisationId",
         to_char(acknowledgement_due_on, 'YYYY-MM-DD') as "acknowledgementDueOn"
       from inbox where status = 'open' and breached_on is null and acknowledgement_due_on < $1`,
      [today],
    );
    return rows;
  }

  /** Unread first, then the newest. Blocked obligations never reach the recipient. */
  async forOrganisation(organisationId: string): Promise<Notification[]> {
    const { rows } = await this.pool.query<Notification>(
      `select obligation_id as id, case_id as "caseId", obliged_organisation_id as "from", protocol_id as "protocolId",
         rule_id as "ruleId", event_type as "eventType", to_char(occurred_on, 'YYYY-MM-DD') as "occurredOn",
         to_char(due_on, 'YYYY-MM-DD') as "dueOn", to_char(acknowledgement_due_on, 'YYYY-MM-DD') as "acknowledgementDueOn",
         shared_data as data, status, opened_at as "receivedAt", acknowledged_at as "acknowledgedAt",
         to_char(escalated_on, 'YYYY-MM-DD') as "escalatedOn", to_char(breached_on, 'YYYY-MM-DD') as "breachedOn"
       from inbox
       where recipient_organisation_id = $1 and status <> 'blocked_no_legal_basis'
       order by status = 'acknowledged', opened_at desc`,
      [organisationId],
    );
    return rows;
  }
}
