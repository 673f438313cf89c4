import type { SqlTransaction } from '@relais/database';
import { Inject, Injectable } from '@nestjs/common';
import { CaseEvent, ObligationEvent } from '@relais/domain';
import {
  Processor,
  ProcessorContext,
  RebuildTarget,
  RecordedEvent,
  toDomainEvent,
} from '@relais/event-store';
import { CompetenceDirectory } from '@relais/network';
import { Calendars, calendarsOf, currentCalendars } from '@relais/obligations';
import {
  COMPLIANCE_TABLES,
  complianceIndexesSql,
  ComplianceTables,
  complianceTablesSql,
} from './compliance.migrations';
import {
  addInto,
  contribution,
  emptyVector,
  isZero,
  ObligationFacts,
  statusOf,
  Vector,
} from './indicators';

/** One row of the obligations table, as stored. */
interface FactRow {
  obligation_id: string;
  event_id: string;
  case_id: string;
  obliged_organisation_id: string;
  recipient_organisation_id: string;
  protocol_id: string;
  protocol_version: number;
  rule_id: string;
  event_type: string;
  occurred_on: string;
  month: string;
  logged_on: string;
  due_on: string;
  logging_delay: number;
  acknowledgement_due_on: string | null;
  at_risk_from: string | null;
  acknowledged_on: string | null;
  acknowledgement_delay: number | null;
  escalated_on: string | null;
  breached_on: string | null;
  breach_reason: ObligationFacts['breachReason'];
  fulfilled_outside_on: string | null;
  blocked: boolean;
  status: string;
}

const DATE_COLUMNS = [
  'occurred_on',
  'month',
  'logged_on',
  'due_on',
  'acknowledgement_due_on',
  'at_risk_from',
  'acknowledged_on',
  'escalated_on',
  'breached_on',
  'fulfilled_outside_on',
] as const;

const COLUMNS: readonly (keyof FactRow)[] = [
  'obligation_id',
  'event_id',
  'case_id',
  'obliged_organisation_id',
  'recipient_organisation_id',
  'protocol_id',
  'protocol_version',
  'rule_id',
  'event_type',
  'occurred_on',
  'month',
  'logged_on',
  'due_on',
  'logging_delay',
  'acknowledgement_due_on',
  'at_risk_from',
  'acknowledged_on',
  'acknowledgement_delay',
  'escalated_on',
  'breached_on',
  'breach_reason',
  'fulfilled_outside_on',
  'blocked',
  'status',
];

export const COMPLIANCE_EVENT_TYPES: readonly string[] = [
  'CaseOpened',
  'ObligationOpened',
  'ObligationAcknowledged',
  'ObligationEscalated',
  'ObligationBreached',
  'ObligationFulfilledOutsideRelais',
];

/** A row of the monthly sums: `*` for both organisations is the network's row for a rule. */
interface MonthlyGroup {
  readonly month: string;
  readonly obliged_organisation_id: string;
  readonly recipient_organisation_id: string;
  readonly rule_id: string;
}

export const NETWORK = '*';

const keyOf = (g: MonthlyGroup) =>
  JSON.stringify([g.month, g.obliged_organisation_id, g.recipient_organisation_id, g.rule_id]);

/** The groups an obligation counts in: its own, and the network's for its rule. */
const groupsOf = (row: FactRow): MonthlyGroup[] => [
  {
    month: row.month,
    obliged_organisation_id: row.obliged_organisation_id,
    recipient_organisation_id: row.recipient_organisation_id,
    rule_id: row.rule_id,
  },
  {
    month: row.month,
    obliged_organisation_id: NETWORK,
    recipient_organisation_id: NETWORK,
    rule_id: row.rule_id,
  },
];

/**
 * The compliance read models: one row of facts per obligation, and per obliged organisation,
 * recipient organisation, rule and month the sum of their contributions. A batch of events is
 * applied in memory to the rows it touches, then written in three statements; each group's sum
 * moves by the difference between its rows' contributions before and after. Applying an event
 * twice changes nothing, so a rebuild may overlap the live projection.
 */
@Injectable()
export class ComplianceProjection implements Processor {
  readonly eventTypes = COMPLIANCE_EVENT_TYPES;
  /** Read again at each batch: closure days registered since count from then on. */
  private calendars: Calendars;
  private tables: ComplianceTables = COMPLIANCE_TABLES;
  private processorName = 'compliance';

  constructor(@Inject(CompetenceDirectory) private readonly directory: CompetenceDirectory) {
    this.calendars = calendarsOf(directory);
  }

  get name(): string {
    return this.processorName;
  }

  /** The same projection writing into other tables: what a rebuild fills. */
  writingInto(tables: ComplianceTables, name: string): ComplianceProjection {
    const copy = new ComplianceProjection(this.directory);
    copy.tables = tables;
    copy.processorName = name;
    return copy;
  }

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    this.calendars = await currentCalendars(this.directory, client);
    const cases: { case_id: string; reference: string }[] = [];
    const obligationEvents: ObligationEvent[] = [];
    for (const recorded of events) {
      if (recorded.type === 'CaseOpened') {
        const event = toDomainEvent<CaseEvent>(recorded);
        if (event.type === 'CaseOpened')
          cases.push({ case_id: event.data.caseId, reference: event.data.reference });
      } else {
        obligationEvents.push(toDomainEvent<ObligationEvent>(recorded));
      }
    }
    if (cases.length > 0) {
      await client.query(
        `insert into ${this.tables.cases} (case_id, reference)
         select case_id, reference from json_populate_recordset(null::${this.tables.cases}, $1)
         on conflict (case_id) do nothing`,
        [JSON.stringify(cases)],
      );
    }
    if (obligationEvents.length > 0) await this.applyObligations(obligationEvents, client);
  }

  private async applyObligations(
    events: readonly ObligationEvent[],
    client: SqlTransaction,
  ): Promise<void> {
    const ids = [...new Set(events.map((event) => event.data.obligationId))];
    const before = new Map<string, FactRow>();
    const { rows } = await client.query<FactRow>(
      `select ${COLUMNS.map((c) => (DATE_COLUMNS.includes(c as never) ? `to_char(${c}, 'YYYY-MM-DD') as ${c}` : c)).join(', ')}
       from ${this.tables.obligations} where obligation_id = any($1::text[])`,
      [ids],
    );
    for (const row of rows) before.set(row.obligation_id, row);
    const after = new Map<string, FactRow>();
    for (const event of events) {
      const id = event.data.obligationId;
      const current = after.get(id) ?? before.get(id);
      const next = this.apply(current, event);
      if (next) after.set(id, next);
    }
    if (after.size === 0) return;

    const deltas = new Map<string, { group: MonthlyGroup; delta: Vector }>();
    for (const [id, row] of after) {
      const old = before.get(id);
      for (const [source, sign] of [
        [old, -1],
        [row, 1],
      ] as const) {
        if (!source) continue;
        const vector = contribution(factsOf(source));
        for (const group of groupsOf(source)) {
          const key = keyOf(group);
          const entry = deltas.get(key) ?? { group, delta: emptyVector() };
          addInto(entry.delta, vector, sign);
          deltas.set(key, entry);
        }
      }
    }

    await client.query(
      `insert into ${this.tables.obligations} select * from json_populate_recordset(null::${this.tables.obligations}, $1)
       on conflict (obligation_id) do update set (${COLUMNS.join(', ')}) = (${COLUMNS.map((c) => `excluded.${c}`).join(', ')})`,
      [JSON.stringify([...after.values()])],
    );

    const changed = [...deltas.values()].filter(({ delta }) => !isZero(delta));
    if (changed.length === 0) return;
    const keys = changed.map(({ group }) => group);
    const existing = await client.query<{ key: string; counts: number[] }>(
      `select json_build_array(to_char(m.month, 'YYYY-MM-DD'), m.obliged_organisation_id, m.recipient_organisation_id, m.rule_id)::text as key,
         m.counts
       from ${this.tables.monthly} m
       join json_populate_recordset(null::${this.tables.monthly}, $1) k
         using (month, obliged_organisation_id, recipient_organisation_id, rule_id)`,
      [JSON.stringify(keys)],
    );
    const sums = new Map(
      existing.rows.map((r) => [JSON.stringify(JSON.parse(r.key) as unknown), r.counts]),
    );
    const upserts = changed.map(({ group, delta }) => ({
      ...group,
      counts: addInto(sums.get(keyOf(group)) ?? emptyVector(), delta),
    }));
    await client.query(
      `insert into ${this.tables.monthly} select * from json_populate_recordset(null::${this.tables.monthly}, $1)
       on conflict (month, obliged_organisation_id, recipient_organisation_id, rule_id) do update set counts = excluded.counts`,
      [JSON.stringify(upserts)],
    );
  }

  /** The row after an event; undefined for an event about an obligation never opened. */
  private apply(row: FactRow | undefined, event: ObligationEvent): FactRow | undefined {
    if (event.type === 'ObligationOpened') return row ?? this.opened(event.data);
    if (!row) return undefined;
    let next: FactRow;
    switch (event.type) {
      case 'ObligationAcknowledged':
        next = {
          ...row,
          acknowledged_on: event.data.acknowledgedOn,
          acknowledgement_delay: this.calendars.workingDaysBetween(
            row.recipient_organisation_id,
            row.logged_on,
            event.data.acknowledgedOn,
          ),
        };
        break;
      case 'ObligationEscalated':
        next = { ...row, escalated_on: row.escalated_on ?? event.data.on };
        break;
      case 'ObligationBreached':
        next = row.breached_on
          ? row
          : { ...row, breached_on: event.data.on, breach_reason: event.data.reason };
        break;
      case 'ObligationFulfilledOutsideRelais':
        next = { ...row, fulfilled_outside_on: event.data.sharedOn };
        break;
      case 'ObligationDispatched':
      case 'ObligationDeliveryFailed':
        return row;
    }
    return { ...next, status: statusOf(factsOf(next)) };
  }

  private opened(data: Extract<ObligationEvent, { type: 'ObligationOpened' }>['data']): FactRow {
    const row: FactRow = {
      obligation_id: data.obligationId,
      event_id: data.eventId,
      case_id: data.caseId,
      obliged_organisation_id: data.obligedOrganisationId,
      recipient_organisation_id: data.recipientOrganisationId,
      protocol_id: data.protocolId,
      protocol_version: data.protocolVersion,
      rule_id: data.ruleId,
      event_type: data.eventType,
      occurred_on: data.occurredOn,
      month: `${data.occurredOn.slice(0, 7)}-01`,
      logged_on: data.loggedOn,
      due_on: data.dueOn,
      logging_delay: Math.max(
        0,
        this.calendars.workingDaysBetween(
          data.obligedOrganisationId,
          data.occurredOn,
          data.loggedOn,
        ),
      ),
      acknowledgement_due_on: data.acknowledgementDueOn,
      at_risk_from:
        data.acknowledgementDueOn === null
          ? null
          : this.calendars.previousWorkingDay(
              data.recipientOrganisationId,
              data.acknowledgementDueOn,
            ),
      acknowledged_on: null,
      acknowledgement_delay: null,
      escalated_on: null,
      breached_on: null,
      breach_reason: null,
      fulfilled_outside_on: null,
      blocked: data.status === 'blocked_no_legal_basis',
      status: '',
    };
    return { ...row, status: statusOf(factsOf(row)) };
  }
}

function factsOf(row: FactRow): ObligationFacts {
  return {
    loggedOnTime: row.logged_on <= row.due_on,
    loggingDelay: row.logging_delay,
    blocked: row.blocked,
    acknowledgementRequired: row.acknowledgement_due_on !== null,
    acknowledgedLate:
      row.acknowledged_on === null
        ? null
        : row.acknowledgement_due_on !== null && row.acknowledged_on > row.acknowledgement_due_on,
    acknowledgementDelay: row.acknowledgement_delay,
    breachReason: row.breach_reason,
    fulfilledOutside: row.fulfilled_outside_on !== null,
  };
}

/** How the compliance read models are rebuilt: the same projection, into fresh tables. */
export function complianceRebuild(directory: CompetenceDirectory): RebuildTarget {
  const named = ([obligations, monthly, cases]: readonly string[]): ComplianceTables => ({
    obligations: obligations ?? COMPLIANCE_TABLES.obligations,
    monthly: monthly ?? COMPLIANCE_TABLES.monthly,
    cases: cases ?? COMPLIANCE_TABLES.cases,
  });
  return {
    name: 'compliance',
    tables: [COMPLIANCE_TABLES.obligations, COMPLIANCE_TABLES.monthly, COMPLIANCE_TABLES.cases],
    createSql: (names) => complianceTablesSql(named(names)),
    indexSql: (names) => complianceIndexesSql(named(names)),
    processor: (names) =>
      new ComplianceProjection(directory).writingInto(named(names), 'compliance-rebuild'),
  };
}
