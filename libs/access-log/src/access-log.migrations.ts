import type { Migration } from '@relais/database';

/**
 * `access_log`: one row per request on a route that reads case content, chained per day
 * (Brussels): `hash` seals the row and the previous row's hash (see `AccessChain`).
 * `access_log_heads`: each day's count and last hash, locked by every writer of that day, so
 * writers in several processes take turns and the chain never forks; verification compares it
 * with the day's last row, so a row deleted at the end is seen too.
 */
export const accessLogMigrations: readonly Migration[] = [
  {
    id: '0600_access_log',
    sql: `
create table access_log (
  day date not null,
  seq integer not null,
  at timestamptz not null,
  staff_id text not null,
  organisation_id text not null,
  route text not null,
  purpose text not null,
  outcome text not null,
  status smallint not null,
  case_ids text[] not null,
  subject_ids text[] not null,
  request_id text not null,
  client_address text,
  hash bytea not null,
  primary key (day, seq)
);
create index access_log_staff on access_log (staff_id, day);
create index access_log_organisation on access_log (organisation_id, day);
create index access_log_cases on access_log using gin (case_ids);
create index access_log_subjects on access_log using gin (subject_ids);

create table access_log_heads (
  day date primary key,
  entries integer not null,
  last_hash bytea not null
);
`,
  },
];
