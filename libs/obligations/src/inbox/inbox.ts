import { Injectable } from '@nestjs/common';
import { noteCaseAccess } from '@relais/access-log';
import { Migration } from '@relais/database';
import { DEFAULT_ESCALATION, ObligationEvent } from '@relais/domain';
import { Processor, ProcessorContext, RecordedEvent, toDomainEvent } from '@relais/event-store';
import { Pool } from 'pg';
import type {
  DeliveryState,
  Notification,
  ObligationView,
  SubjectRole,
  WorkerContact,
} from '@relais/wire';

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
  {
    id: '0412_inbox_staff_deliveries',
    sql: `alter table inbox
  add column assigned_staff_ids text[] not null default '{}',
  add column deliveries jsonb not null default '{}',
  add column fulfilled_outside_on date;
create index inbox_obliged on inbox (obliged_organisation_id, opened_at desc);
create index inbox_case on inbox (case_id);`,
  },
  {
    id: '0413_inbox_overdue',
    sql: `drop index inbox_deadlines;
create index inbox_overdue on inbox (acknowledgement_due_on) where status = 'open' and (breached_on is null or escalated_on is null);`,
  },
  {
    // A rule may escalate to nobody: such an obligation waits only for its breach.
    id: '0414_inbox_escalation_contacts',
    sql: `alter table inbox
  add column escalates_unacknowledged boolean not null default true,
  add column contact_staff_ids text[] not null default '{}';
drop index inbox_overdue;
create index inbox_overdue on inbox (acknowledgement_due_on)
  where status = 'open' and (breached_on is null or (escalated_on is null and escalates_unacknowledged));`,
  },
  {
    // The contact shared is the one assigned when the notification is read, not when it opened.
    id: '0415_inbox_shares_worker_contact',
    sql: `alter table inbox add column shares_worker_contact boolean not null default false;
update inbox set shares_worker_contact = cardinality(contact_staff_ids) > 0;`,
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
    'ObligationDispatched',
    'ObligationDeliveryFailed',
    'ObligationFulfilledOutsideRelais',
  ];

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    for (const recorded of events) {
      const event = toDomainEvent<ObligationEvent>(recorded);
      switch (event.type) {
        case 'ObligationOpened': {
          const d = event.data;
          await client.query(
            `insert into inbox (obligation_id, recipient_organisation_id, obliged_organisation_id, case_id, protocol_id,
               rule_id, event_type, occurred_on, due_on, acknowledgement_due_on, shared_data, status, opened_at,
               assigned_staff_ids, escalates_unacknowledged, contact_staff_ids, shares_worker_contact)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
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
              d.assignedStaffIds,
              (d.escalation ?? DEFAULT_ESCALATION).unacknowledged !== 'none',
              d.contactStaffIds ?? [],
              d.sharesWorkerContact ?? (d.contactStaffIds ?? []).length > 0,
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
          // The recipient's inbox shows its own managers' escalation; a late logging escalates
          // on the obliged side.
          if (event.data.to !== 'recipient_managers') break;
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
        case 'ObligationFulfilledOutsideRelais':
          await client.query(
            `update inbox set status = 'fulfilled_outside', fulfilled_outside_on = $2
             where obligation_id = $1 and status <> 'acknowledged'`,
            [event.data.obligationId, event.data.sharedOn],
          );
          break;
        case 'ObligationDispatched':
          await this.delivery(client, event.data, {
            channel: event.data.channel,
            status: 'delivered',
            attempts: event.data.attempt,
            at: recorded.recordedAt,
            reason: null,
          });
          break;
        case 'ObligationDeliveryFailed':
          await this.delivery(client, event.data, {
            channel: event.data.channel,
            status: event.data.deadLettered ? 'dead' : 'retrying',
            attempts: event.data.attempt,
            at: recorded.recordedAt,
            reason: event.data.reason,
          });
          break;
      }
    }
  }

  private async delivery(
    client: ProcessorContext['client'],
    { obligationId, deliveryId }: { obligationId: string; deliveryId: string },
    state: DeliveryState<Date>,
  ): Promise<void> {
    await client.query(
      `update inbox set deliveries = deliveries || jsonb_build_object($2::text, $3::jsonb)
       where obligation_id = $1`,
      [obligationId, deliveryId, JSON.stringify(state)],
    );
  }
}

/** An obligation whose acknowledgement is overdue: the deadline watcher's durable timer. */
export interface OverdueObligation {
  readonly obligationId: string;
  readonly recipientOrganisationId: string;
  readonly acknowledgementDueOn: string;
}

const DATES = `to_char(occurred_on, 'YYYY-MM-DD') as "occurredOn", to_char(due_on, 'YYYY-MM-DD') as "dueOn",
  to_char(acknowledgement_due_on, 'YYYY-MM-DD') as "acknowledgementDueOn",
  to_char(escalated_on, 'YYYY-MM-DD') as "escalatedOn", to_char(breached_on, 'YYYY-MM-DD') as "breachedOn",
  to_char(fulfilled_outside_on, 'YYYY-MM-DD') as "fulfilledOutsideOn"`;

/**
 * Read when shown: the obliged party's workers assigned to the case now (a reassignment shows
 * the new one), as the staff directory holds them now (a worker who left is not shown, a new
 * phone is). Only where the rule shares them.
 */
const CONTACTS = `coalesce((select jsonb_agg(jsonb_build_object('name', s.name, 'email', s.email,
    'phone', s.phone, 'organisationId', s.organisation_id) order by s.name)
  from staff s
  where inbox.shares_worker_contact and s.active and s.organisation_id = inbox.obliged_organisation_id
    and s.id in (select jsonb_array_elements_text(
      coalesce(c.state -> 'partners' -> inbox.obliged_organisation_id -> 'assignedStaffIds',
        to_jsonb(inbox.contact_staff_ids))))), '[]') as contacts`;

/**
 * Whether a member of the recipient's (`$1`) staff is assigned to the case: as the recipient
 * assigns its workers now, when it is a partner (a reassignment moves its notifications to the
 * new worker's own inbox); else as they were when the obligation opened.
 */
const ASSIGNED = (staff: string) => `coalesce(
    c.state -> 'partners' -> $1::text -> 'assignedStaffIds' ? ${staff}::text,
    ${staff} = any(assigned_staff_ids))`;

/**
 * The contacts a notification shares now, as the inbox shows them; undefined when its rule shares
 * none or the inbox does not hold it yet.
 */
export async function currentContacts(
  db: Pick<Pool, 'query'>,
  obligationId: string,
): Promise<WorkerContact[] | undefined> {
  const { rows } = await db.query<{ contacts: WorkerContact[] }>(
    `select ${CONTACTS} from inbox
     left join lateral (select state from case_summaries where case_id = inbox.case_id) c on true
     where obligation_id = $1 and shares_worker_contact`,
    [obligationId],
  );
  return rows[0]?.contacts;
}

/** What the recipient (`$1`) may open of the case: see `Notification.caseAccess`. */
const CASE_ACCESS = `case
    when c.state -> 'partners' -> $1::text ->> 'status' in ('active', 'closed') then 'partner'
    when exists (select 1 from jsonb_each(c.state -> 'referrals') r
      where r.value ->> 'to' = $1::text and r.value ->> 'status' = 'sent') then 'referral'
    when c.state -> 'partners' ? $1::text then 'former_partner'
    else 'none' end as "caseAccess"`;

const OBLIGATION_VIEW = `select obligation_id as id, case_id as "caseId", obliged_organisation_id as "obligedOrganisationId",
  recipient_organisation_id as "recipientOrganisationId", protocol_id as "protocolId", rule_id as "ruleId",
  event_type as "eventType", ${DATES}, status, opened_at as "openedAt", acknowledged_at as "acknowledgedAt",
  coalesce((select jsonb_agg(value order by value->>'channel', value->>'at') from jsonb_each(deliveries)), '[]') as deliveries,
  (select reference from case_summaries where case_id = inbox.case_id) as "caseReference"
  from inbox`;

/** The family members shared data names, when a rule shares them: `subjects`, `givenBy`. */
function subjectIdsIn(data: Readonly<Record<string, unknown>>): string[] {
  const { subjects, givenBy } = data;
  const listed = Array.isArray(subjects)
    ? subjects.map((s) => (s as { subjectId?: unknown }).subjectId)
    : [];
  return [...listed, givenBy].filter((id): id is string => typeof id === 'string');
}

/** A notification before its family is named: the case's subjects, by id. */
export type UnnamedNotification<Time> = Omit<Notification<Time>, 'family'> & {
  readonly subjects: readonly { subjectId: string; role: SubjectRole }[];
};

/**
 * Whether the card may name the family: the recipient holds the case or joined it on a legal
 * basis (a former partner as the case view shows it), never for a referral not yet accepted.
 */
export function namesTheFamily(n: Pick<Notification<unknown>, 'caseAccess'>): boolean {
  return n.caseAccess === 'partner' || n.caseAccess === 'former_partner';
}

@Injectable()
export class Inbox {
  constructor(private readonly pool: Pool) {}

  async overdue(today: string): Promise<OverdueObligation[]> {
    const { rows } = await this.pool.query<OverdueObligation>(
      `select obligation_id as "obligationId", recipient_organisation_id as "recipientOrganisationId",
         to_char(acknowledgement_due_on, 'YYYY-MM-DD') as "acknowledgementDueOn"
       from inbox where status = 'open' and acknowledgement_due_on < $1
         and (breached_on is null or (escalated_on is null and escalates_unacknowledged))`,
      [today],
    );
    return rows;
  }

  /**
   * What the protocol told an organisation: open first, then the newest. With `onlyAssignedTo`,
   * a member of staff's own inbox: the notifications about the cases they are assigned to now.
   * Blocked obligations never reach the recipient.
   */
  async forOrganisation(
    organisationId: string,
    options: { staffId?: string; onlyAssignedTo?: string } = {},
  ): Promise<UnnamedNotification<Date>[]> {
    const { rows } = await this.pool.query<UnnamedNotification<Date>>(
      `select obligation_id as id, case_id as "caseId", obliged_organisation_id as "from", protocol_id as "protocolId",
         rule_id as "ruleId", event_type as "eventType", ${DATES},
         shared_data as data, status, coalesce(${ASSIGNED('$2')}, false) as "assignedToMe",
         opened_at as "receivedAt", acknowledged_at as "acknowledgedAt", ${CONTACTS},
         c.reference as "caseReference", ${CASE_ACCESS}, coalesce(c.state -> 'subjects', '[]') as subjects
       from inbox left join lateral
         (select reference, state from case_summaries where case_id = inbox.case_id) c on true
       where recipient_organisation_id = $1 and status <> 'blocked_no_legal_basis'
         and ($3::text is null or ${ASSIGNED('$3')})
       order by status <> 'open', opened_at desc`,
      [
        organisationId,
        options.staffId ?? options.onlyAssignedTo ?? null,
        options.onlyAssignedTo ?? null,
      ],
    );
    noteCaseAccess(
      rows.map((r) => r.caseId),
      rows.flatMap((r) => [
        ...subjectIdsIn(r.data),
        ...(namesTheFamily(r) ? r.subjects.map((s) => s.subjectId) : []),
      ]),
    );
    return rows;
  }

  /** What the protocol asked an organisation to tell others, blocked obligations included, newest first. */
  async sentBy(
    organisationId: string,
    options: { status?: string } = {},
  ): Promise<ObligationView<Date>[]> {
    const { rows } = await this.pool.query<ObligationView<Date>>(
      `${OBLIGATION_VIEW} where obliged_organisation_id = $1 and ($2::text is null or status = $2)
       order by opened_at desc`,
      [organisationId, options.status ?? null],
    );
    noteCaseAccess(rows.map((r) => r.caseId));
    return rows;
  }

  /** Every obligation a case gave rise to, in the order they opened. */
  async forCase(caseId: string): Promise<ObligationView<Date>[]> {
    const { rows } = await this.pool.query<ObligationView<Date>>(
      `${OBLIGATION_VIEW} where case_id = $1 order by opened_at, recipient_organisation_id`,
      [caseId],
    );
    noteCaseAccess(rows.map((r) => r.caseId));
    return rows;
  }
}
