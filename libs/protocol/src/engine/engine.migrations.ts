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
];
