import type { Migration } from '@relais/database';

/** The live tables' names; a rebuild writes into copies and swaps them in. */
export interface ComplianceTables {
  readonly obligations: string;
  readonly monthly: string;
  readonly cases: string;
}

export const COMPLIANCE_TABLES: ComplianceTables = {
  obligations: 'compliance_obligations',
  monthly: 'compliance_monthly',
  cases: 'compliance_cases',
};

/**
 * Figures without content: organisation, rule and case ids, dates, codes and counts. No name,
 * no free text, no shared data.
 */
export function complianceTablesSql(t: ComplianceTables): string {
  return `
create table ${t.obligations} (
  obligation_id text primary key,
  event_id text not null,
  case_id text not null,
  obliged_organisation_id text not null,
  recipient_organisation_id text not null,
  protocol_id text not null,
  protocol_version integer not null,
  rule_id text not null,
  event_type text not null,
  occurred_on date not null,
  month date not null,
  logged_on date not null,
  due_on date not null,
  logging_delay integer not null,
  acknowledgement_due_on date,
  at_risk_from date,
  acknowledged_on date,
  acknowledgement_delay integer,
  escalated_on date,
  breached_on date,
  breach_reason text,
  fulfilled_outside_on date,
  blocked boolean not null,
  status text not null
);
create table ${t.monthly} (
  obliged_organisation_id text not null,
  recipient_organisation_id text not null,
  rule_id text not null,
  month date not null,
  counts integer[] not null,
  primary key (month, obliged_organisation_id, recipient_organisation_id, rule_id)
);
create table ${t.cases} (
  case_id text primary key,
  reference text not null
);`;
}

/** The follow-up list's indexes: built after the rows when a rebuild fills the tables. */
export function complianceIndexesSql(t: ComplianceTables): string {
  return `
create index on ${t.obligations} (status, acknowledgement_due_on, due_on, obligation_id);
create index on ${t.obligations} (obliged_organisation_id, status, acknowledgement_due_on);
create index on ${t.obligations} (recipient_organisation_id, status, acknowledgement_due_on);
create index on ${t.obligations} (at_risk_from) where status = 'open';`;
}

export const complianceMigrations: readonly Migration[] = [
  {
    id: '0500_compliance',
    sql: complianceTablesSql(COMPLIANCE_TABLES) + complianceIndexesSql(COMPLIANCE_TABLES),
  },
];
