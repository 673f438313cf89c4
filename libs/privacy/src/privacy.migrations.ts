import { Migration } from '@relais/database';

/**
 * `erasures`: one row per person erased, beside its `PersonalDataErased` event and committed with
 * it, so that a retried or racing request finds the first erasure. `retention_policies`: each
 * organisation's own period, beside its `RetentionPeriodSet` event; an organisation without a row
 * keeps the default. Ids and codes only.
 */
export const privacyMigrations: readonly Migration[] = [
  {
    id: '0710_erasures_and_retention',
    sql: `
create table erasures (
  subject_id uuid primary key,
  case_id text not null,
  reason text not null,
  erased_by text,
  erased_at timestamptz not null
);
create index erasures_case on erasures (case_id);

create table retention_policies (
  organisation_id text primary key,
  years integer not null,
  set_by text not null,
  set_at timestamptz not null
);
`,
  },
];
