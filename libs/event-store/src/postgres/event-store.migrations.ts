import { Migration } from '@relais/database';

export const NOTIFY_CHANNEL = 'relais_events';

/**
 * `events` is the store. `(stream_id, stream_position)` is unique: two appends racing for the
 * same position cannot both commit, which is the optimistic concurrency check. `event_id` is
 * unique: a retried append cannot write twice. `(transaction_id, global_position)` is the
 * commit-order key readers page on.
 */
export const eventStoreMigrations: readonly Migration[] = [
  {
    id: '0001_event_store',
    sql: `
create table events (
  global_position bigint generated always as identity primary key,
  transaction_id xid8 not null default pg_current_xact_id(),
  stream_id text not null,
  stream_position bigint not null,
  event_id uuid not null,
  type text not null,
  schema_version integer not null default 1,
  data jsonb not null,
  metadata jsonb not null default '{}',
  recorded_at timestamptz not null default now(),
  constraint events_event_id_key unique (event_id),
  constraint events_stream_position_key unique (stream_id, stream_position)
);
create index events_commit_order on events (transaction_id, global_position);

create table processor_checkpoints (
  name text primary key,
  transaction_id xid8 not null default '0',
  global_position bigint not null default 0,
  updated_at timestamptz not null default now()
);
`,
  },
];
