import { Migration } from '@relais/database';

export const NOTIFY_CHANNEL = 'relais_events';

/**
 * `append_events` does a whole append in one round trip, as one statement:
 * 1. a transaction-level advisory lock on the stream, taken before the transaction has an id, so
 *    appends to one stream get increasing transaction ids and commit order keeps stream order;
 * 2. a retry (the first event id is already stored) returns the stored positions and writes nothing;
 * 3. the expected-version check against `streams`, raising SQLSTATE RLV01 with the actual version;
 * 4. the insert.
 * It sends no NOTIFY: a transaction that notifies takes a database-wide lock while it commits,
 * which would make concurrent appends commit one by one. The appending process notifies after
 * the commit instead, coalesced (see CommitNotifier.signal).
 * Expected version: -1 any, -2 stream exists, n >= 0 exact (0: no stream yet).
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

create table streams (
  stream_id text primary key,
  version bigint not null
);

create table processor_checkpoints (
  name text primary key,
  transaction_id xid8 not null default '0',
  global_position bigint not null default 0,
  updated_at timestamptz not null default now()
);

create function append_events(
  p_stream_id text,
  p_expected bigint,
  p_event_ids uuid[],
  p_types text[],
  p_schema_versions integer[],
  p_data jsonb[],
  p_metadata jsonb[],
  p_recorded_at timestamptz,
  out o_global_position bigint,
  out o_stream_position bigint,
  out o_duplicate boolean
) returns setof record language plpgsql as $$
declare
  v_count integer := cardinality(p_event_ids);
  v_version bigint;
begin
  perform pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));

  if exists (select 1 from events where event_id = p_event_ids[1]) then
    return query
      select e.global_position, e.stream_position, true
      from unnest(p_event_ids) with ordinality as i(event_id, n)
      left join events e on e.event_id = i.event_id and e.stream_id = p_stream_id
      order by i.n;
    return;
  end if;

  update streams set version = version + v_count
   where stream_id = p_stream_id and (p_expected in (-1, -2) or version = p_expected)
   returning version into v_version;
  if v_version is null and p_expected in (-1, 0) then
    insert into streams (stream_id, version) values (p_stream_id, v_count)
    on conflict do nothing
    returning version into v_version;
  end if;
  if v_version is null then
    select version into v_version from streams where stream_id = p_stream_id;
    raise exception using
      errcode = 'RLV01',
      message = 'wrong expected version',
      detail = coalesce(v_version, 0)::text;
  end if;

  return query
    insert into events (stream_id, stream_position, event_id, type, schema_version, data, metadata, recorded_at)
    select p_stream_id, v_version - v_count + i.n, i.event_id, i.type, i.schema_version, i.data, i.metadata,
           coalesce(p_recorded_at, now())
    from unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata)
         with ordinality as i(event_id, type, schema_version, data, metadata, n)
    order by i.n
    returning global_position, stream_position, false;
end
$$;
`,
  },
];
