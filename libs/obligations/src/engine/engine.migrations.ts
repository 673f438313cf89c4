import type { Migration } from '@relais/database';

/** The protocol versions as the engine follows them, in the same transactions as its obligations. */
export const protocolEngineMigrations: readonly Migration[] = [
  {
    id: '0400_protocol_engine',
    sql: `create table engine_protocol_versions (
      protocol_id text not null,
      version integer not null,
      definition jsonb not null,
      signed boolean not null default false,
      ended_on date,
      primary key (protocol_id, version))`,
  },
  {
    id: '0401_engine_obligations',
    sql: `create table engine_obligations (
      obligation_id text primary key,
      case_id text not null,
      event_id text not null,
      event_type text not null,
      obliged_organisation_id text not null,
      recipient_organisation_id text not null);
    create index engine_obligations_case on engine_obligations (case_id, recipient_organisation_id)`,
  },
];
