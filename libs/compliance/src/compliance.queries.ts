import { Injectable } from '@nestjs/common';
import { noteCaseAccess } from '@relais/access-log';
import { Pool } from 'pg';
import { COMPLIANCE_TABLES } from './compliance.migrations';
import { NETWORK } from './compliance.projection';
import {
  addMonths,
  monthsBetween,
  type FollowUpItem,
  type FollowUpPage,
  type FollowUpStatus,
  type GroupKey,
  type Month,
  type Summary,
  type SummaryRow,
} from '@relais/wire';
import { addInto, emptyVector, indicatorsOf, Vector } from './indicators';

/** Re-exported for the controller and the report, which read them with the queries. */
export { addMonths, type Month, type Summary, type SummaryRow } from '@relais/wire';

export interface SummaryQuery {
  readonly from: Month;
  readonly to: Month;
  readonly today: string;
  /** Rows where this organisation is the obliged party or the recipient. */
  readonly organisation?: string;
  readonly rule?: string;
}

export interface FollowUpQuery {
  readonly today: string;
  readonly status?: FollowUpStatus;
  readonly organisation?: string;
  /** On the day the events occurred. */
  readonly from?: string;
  readonly to?: string;
  readonly page: number;
  readonly pageSize: number;
}

const T = COMPLIANCE_TABLES;
/** Open, and due today or on the next working day (`at_risk_from` is the working day before). */
const atRisk = (o = '') =>
  `${o}status = 'open' and ${o}at_risk_from <= $1::date and ${o}acknowledgement_due_on >= $1::date`;

/** Reads the compliance read models: figures and the follow-up list, never case content. */
@Injectable()
export class ComplianceQueries {
  constructor(private readonly pool: Pool) {}

  /**
   * Reads the monthly sums: the network's rows (`*`) for the totals and, unscoped, the trend; the
   * organisation's own rows (or every row) for the table. A manager's summary reads a few dozen
   * rows, not the whole network's.
   */
  async summary(query: SummaryQuery): Promise<Summary> {
    const trendFrom = addMonths(query.to, -11);
    const first = query.from < trendFrom ? query.from : trendFrom;
    const scoped = query.organisation ?? null;
    const [groups, risks] = await Promise.all([
      this.pool.query<GroupKey & { month: Month; counts: string }>(
        `select to_char(month, 'YYYY-MM') as month, obliged_organisation_id as "obligedOrganisationId",
           recipient_organisation_id as "recipientOrganisationId", rule_id as "ruleId", counts::text as counts
         from ${T.monthly}
         where month between $1::date and $2::date and ($3::text is null or rule_id = $3)
           and (obliged_organisation_id = '${NETWORK}'
             or ($4::text is null and month >= $5::date)
             or obliged_organisation_id = $4 or recipient_organisation_id = $4)
         order by month, obliged_organisation_id, recipient_organisation_id, rule_id`,
        [`${first}-01`, `${query.to}-01`, query.rule ?? null, scoped, `${query.from}-01`],
      ),
      this.pool.query<GroupKey & { month: Month; n: number }>(
        `select to_char(month, 'YYYY-MM') as month, obliged_organisation_id as "obligedOrganisationId",
           recipient_organisation_id as "recipientOrganisationId", rule_id as "ruleId", count(*)::int as n
         from ${T.obligations} where ${atRisk()} and ($2::text is null or rule_id = $2)
         group by 1, 2, 3, 4`,
        [query.today, query.rule ?? null],
      ),
    ]);
    const inScope = (g: GroupKey) =>
      !scoped || g.obligedOrganisationId === scoped || g.recipientOrganisationId === scoped;
    const inPeriod = (month: Month) => month >= query.from && month <= query.to;
    const key = (g: GroupKey & { month: Month }) =>
      `${g.month}|${g.obligedOrganisationId}|${g.recipientOrganisationId}|${g.ruleId}`;
    const risksOf = new Map(risks.rows.map((r) => [key(r), r.n]));
    const trendRisk = new Map<Month, number>();
    let networkAtRisk = 0;
    let totalsAtRisk = 0;
    for (const risk of risks.rows) {
      if (inPeriod(risk.month)) networkAtRisk += risk.n;
      if (!inScope(risk)) continue;
      if (inPeriod(risk.month)) totalsAtRisk += risk.n;
      trendRisk.set(risk.month, (trendRisk.get(risk.month) ?? 0) + risk.n);
    }

    const network = emptyVector();
    const totals = emptyVector();
    const rows: SummaryRow[] = [];
    const trend = new Map<Month, Vector>(
      monthsBetween(trendFrom, query.to).map((m) => [m, emptyVector()]),
    );
    for (const group of groups.rows) {
      const vector = parseCounts(group.counts);
      const networkRow = group.obligedOrganisationId === NETWORK;
      if (networkRow) {
        if (inPeriod(group.month)) addInto(network, vector);
        if (!scoped) addIfPresent(trend, group.month, vector);
        continue;
      }
      if (scoped) addIfPresent(trend, group.month, vector);
      if (!inPeriod(group.month)) continue;
      addInto(totals, vector);
      rows.push({
        month: group.month,
        obligedOrganisationId: group.obligedOrganisationId,
        recipientOrganisationId: group.recipientOrganisationId,
        ruleId: group.ruleId,
        ...indicatorsOf(vector, risksOf.get(key(group)) ?? 0),
      });
    }
    return {
      from: query.from,
      to: query.to,
      today: query.today,
      organisation: scoped,
      rule: query.rule ?? null,
      network: indicatorsOf(network, networkAtRisk),
      totals: indicatorsOf(totals, totalsAtRisk),
      rows,
      trend: [...trend].map(([month, vector]) => ({
        month,
        ...indicatorsOf(vector, trendRisk.get(month) ?? 0),
      })),
    };
  }

  /** The obligations to follow up, most urgent first, a page at a time. */
  async followUp(query: FollowUpQuery): Promise<FollowUpPage> {
    const status =
      query.status === 'open'
        ? `o.status = 'open'`
        : query.status === 'at_risk'
          ? atRisk('o.')
          : query.status === 'breached'
            ? `o.status = 'breached'`
            : 'true';
    const where = `($1::date is not null) and ${status}
      and ($2::text is null or o.obliged_organisation_id = $2 or o.recipient_organisation_id = $2)
      and ($3::date is null or o.occurred_on >= $3) and ($4::date is null or o.occurred_on <= $4)`;
    const filters = [query.today, query.organisation ?? null, query.from ?? null, query.to ?? null];
    const [page, count] = await Promise.all([
      this.pool.query<FollowUpItem>(
        `select o.obligation_id as "obligationId", o.case_id as "caseId", c.reference as "caseReference",
           o.obliged_organisation_id as "obligedOrganisationId", o.recipient_organisation_id as "recipientOrganisationId",
           o.rule_id as "ruleId", o.event_type as "eventType",
           to_char(o.occurred_on, 'YYYY-MM-DD') as "occurredOn", to_char(o.logged_on, 'YYYY-MM-DD') as "loggedOn",
           to_char(o.due_on, 'YYYY-MM-DD') as "dueOn", to_char(o.acknowledgement_due_on, 'YYYY-MM-DD') as "acknowledgementDueOn",
           o.status, coalesce(${atRisk('o.')}, false) as "atRisk",
           to_char(o.escalated_on, 'YYYY-MM-DD') as "escalatedOn", to_char(o.breached_on, 'YYYY-MM-DD') as "breachedOn"
         from ${T.obligations} o left join ${T.cases} c using (case_id)
         where ${where}
         order by o.acknowledgement_due_on, o.due_on, o.obligation_id
         limit $5 offset $6`,
        [...filters, query.pageSize, (query.page - 1) * query.pageSize],
      ),
      this.pool.query<{ total: number }>(
        `select count(*)::int as total from ${T.obligations} o where ${where}`,
        filters,
      ),
    ]);
    noteCaseAccess(page.rows.map((r) => r.caseId));
    return {
      items: page.rows,
      page: query.page,
      pageSize: query.pageSize,
      total: count.rows[0]?.total ?? 0,
    };
  }
}

function addIfPresent(trend: Map<Month, Vector>, month: Month, vector: Vector): void {
  const point = trend.get(month);
  if (point) addInto(point, vector);
}

/** `{1,0,2}` -> [1, 0, 2]: quicker than the driver's generic array parser. */
function parseCounts(text: string): Vector {
  return text.slice(1, -1).split(',').map(Number);
}
