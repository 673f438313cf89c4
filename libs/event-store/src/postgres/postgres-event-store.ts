import { ClientBase, DatabaseError, Pool, QueryArrayConfig } from 'pg';
import {
  AppendOptions,
  AppendResult,
  Checkpoint,
  EventIdConflictError,
  EventMetadata,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  START,
  WrongExpectedVersionError,
} from '../event-store';
import { AppendObserver, observedAppend } from '../observed-append';
import { noUpcast, Upcast } from '../upcasting';

type Queryable = Pool | ClientBase;

export interface PostgresEventStoreOptions {
  readonly upcast?: Upcast;
  /**
   * Called after an append that wrote events, once they are committed (or, inside a caller's
   * transaction, once they are written: the caller then signals after its own commit).
   */
  readonly afterAppend?: () => void;
  /** Told each append's outcome, for the metrics: written (with its count), duplicate, conflict. */
  readonly observeAppend?: AppendObserver;
}

const COLUMNS = `global_position, transaction_id::text, stream_id, stream_position, event_id, type,
  schema_version, data, metadata, recorded_at`;

type Row = [string, string, string, string, string, string, number, unknown, EventMetadata, Date];

const UNIQUE_VIOLATION = '23505';

interface StoredPosition {
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_position: string;
  readonly global_position: string;
}

/**
 * One statement: the stream's last position, the expected-version check, and the insert. Within
 * a stream, commit order is stream order: an append that reads position p committed gets its
 * transaction id after that commit (at its first insert), so it sorts after the writer of p; one
 * that does not see p yet collides with it on the unique position and fails.
 */
const appendSql = (values: string) => `with last as (
    select coalesce(max(stream_position), 0) as version from events where stream_id = $1)
  insert into events (stream_id, stream_position, event_id, type, schema_version, data, metadata, recorded_at)
  select $1, last.version + i.n, i.event_id, i.type, i.schema_version, i.data, i.metadata,
         coalesce($8::timestamptz, now())
  from last, unnest(${values}) with ordinality as i(event_id, type, schema_version, data, metadata, n)
  where $2::bigint = -1 or ($2::bigint = -2 and last.version > 0) or last.version = $2::bigint
  order by i.n
  returning global_position, stream_position`;

const APPEND = appendSql('$3::uuid[], $4::text[], $5::integer[], $6::jsonb[], $7::jsonb[]');
/** Most commands append one event: its fields go as scalars, sparing the client array encoding. */
const APPEND_ONE = appendSql(
  'array[$3::uuid], array[$4::text], array[$5::integer], array[$6::jsonb], array[$7::jsonb]',
);

/** How often an append at `any` version retries after losing a race for the next position. */
const ANY_VERSION_ATTEMPTS = 10;

const READ_ALL = `select ${COLUMNS} from events
  where (transaction_id, global_position) > ($1::xid8, $2::bigint)
    and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  order by events.transaction_id, events.global_position
  limit $3`;

export class PostgresEventStore implements EventStore {
  private readonly upcast: Upcast;
  private readonly afterAppend: (() => void) | undefined;
  private readonly observeAppend: AppendObserver | undefined;

  constructor(
    private readonly db: Queryable,
    options: PostgresEventStoreOptions = {},
  ) {
    this.upcast = options.upcast ?? noUpcast;
    this.afterAppend = options.afterAppend;
    this.observeAppend = options.observeAppend;
  }

  /** The same store inside the caller's transaction; `afterAppend` tells the caller to signal after its commit. */
  within(client: ClientBase, afterAppend?: () => void): PostgresEventStore {
    return new PostgresEventStore(client, {
      upcast: this.upcast,
      afterAppend,
      ...(this.observeAppend ? { observeAppend: this.observeAppend } : {}),
    });
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return observedAppend(streamId, events, this.observeAppend, () =>
      this.appendOnce(streamId, events, options),
    );
  }

  private async appendOnce(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`Nothing to append to ${streamId}`);
    const expected = options.expectedVersion ?? 'any';
    for (let attempt = 1; ; attempt++) {
      let rows: [string, string][];
      try {
        const query = this.appendQuery(streamId, events, expected, options.recordedAt);
        rows = await this.recoverable(async () =>
          attempt === 1
            ? (await this.db.query<[string, string]>(query)).rows
            : await this.appendLocked(query),
        );
      } catch (error) {
        if (!(error instanceof DatabaseError) || error.code !== UNIQUE_VIOLATION) throw error;
        const lostRace = error.constraint === 'events_stream_position_key' && expected === 'any';
        if (lostRace && attempt < ANY_VERSION_ATTEMPTS) continue;
        return this.refused(streamId, events, expected);
      }
      if (rows.length === 0) return this.refused(streamId, events, expected);
      this.afterAppend?.();
      const positions = rows.map(([global, stream]) => ({
        globalPosition: Number(global),
        streamPosition: Number(stream),
      }));
      return {
        nextExpectedVersion: positions[positions.length - 1]?.streamPosition ?? 0,
        positions,
        duplicate: false,
      };
    }
  }

  /**
   * Inside a caller's transaction, a failed statement would abort the whole transaction: a
   * savepoint keeps a refused append (a retry, a lost race) from taking the caller's work with it.
   */
  private async recoverable<T>(append: () => Promise<T>): Promise<T> {
    if (this.db instanceof Pool) return append();
    await this.db.query('savepoint relais_append');
    try {
      const result = await append();
      await this.db.query('release savepoint relais_append');
      return result;
    } catch (error) {
      await this.db.query('rollback to savepoint relais_append');
      throw error;
    }
  }

  /**
   * After losing a race at `any` version, queue behind the stream's other writers: under a
   * transaction-level lock on the stream, a new statement sees the last winner's position.
   */
  private async appendLocked(query: QueryArrayConfig): Promise<[string, string][]> {
    const lock = {
      text: 'select pg_advisory_xact_lock(hashtextextended($1, 0))',
      values: [query.values?.[0]],
    };
    if (!(this.db instanceof Pool)) {
      await this.db.query(lock);
      return (await this.db.query<[string, string]>(query)).rows;
    }
    const client = await this.db.connect();
    try {
      await client.query('begin');
      await client.query(lock);
      const { rows } = await client.query<[string, string]>(query);
      await client.query('commit');
      return rows;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private appendQuery(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
    recordedAt: Date | undefined,
  ): QueryArrayConfig {
    const one = events.length === 1 ? events[0] : undefined;
    const fields = one
      ? [
          one.eventId,
          one.type,
          one.schemaVersion ?? 1,
          JSON.stringify(one.data ?? null),
          JSON.stringify(one.metadata ?? {}),
        ]
      : [
          events.map((e) => e.eventId),
          events.map((e) => e.type),
          events.map((e) => e.schemaVersion ?? 1),
          events.map((e) => JSON.stringify(e.data ?? null)),
          events.map((e) => JSON.stringify(e.metadata ?? {})),
        ];
    return {
      name: one ? 'relais_append_one' : 'relais_append',
      text: one ? APPEND_ONE : APPEND,
      rowMode: 'array',
      values: [streamId, encodeExpected(expected), ...fields, recordedAt ?? null],
    };
  }

  /**
   * Why an append wrote nothing: a retry of events already stored (answered with their
   * positions), an event id used for something else, or a stream not at the expected version.
   */
  private async refused(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const { rows } = await this.db.query<StoredPosition>(
      `select event_id, stream_id, stream_position, global_position
       from events where event_id = any($1::uuid[])`,
      [events.map((e) => e.eventId)],
    );
    if (rows.length > 0) {
      const stored = new Map(rows.map((row) => [row.event_id, row]));
      const positions = events.map((event) => {
        const row = stored.get(event.eventId);
        if (row?.stream_id !== streamId) throw new EventIdConflictError(streamId, event.eventId);
        return {
          globalPosition: Number(row.global_position),
          streamPosition: Number(row.stream_position),
        };
      });
      return {
        nextExpectedVersion: await this.streamVersion(streamId),
        positions,
        duplicate: true,
      };
    }
    throw new WrongExpectedVersionError(streamId, expected, await this.streamVersion(streamId));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backward = options.direction === 'backward';
    const from = options.fromVersion ?? (backward ? Number.MAX_SAFE_INTEGER : 1);
    const { rows } = await this.db.query<Row>({
      name: backward ? 'relais_read_stream_backward' : 'relais_read_stream_forward',
      text: `select ${COLUMNS} from events where stream_id = $1 and stream_position ${backward ? '<=' : '>='} $2
             order by stream_position ${backward ? 'desc' : 'asc'} limit $3`,
      rowMode: 'array',
      values: [streamId, from, options.maxCount ?? null],
    });
    return rows.map((row) => this.upcast(toEvent(row)));
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? START;
    const { rows } = await this.db.query<Row>({
      name: 'relais_read_all',
      text: READ_ALL,
      rowMode: 'array',
      values: [String(after.transactionId), after.globalPosition, options.maxCount ?? 1000],
    });
    const events = rows.map((row) => this.upcast(toEvent(row)));
    const last = events[events.length - 1];
    const checkpoint: Checkpoint = last
      ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
      : after;
    return { events, checkpoint };
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.db.query<{ version: string }>({
      name: 'relais_stream_version',
      text: 'select coalesce(max(stream_position), 0) as version from events where stream_id = $1',
      values: [streamId],
    });
    return Number(rows[0]?.version ?? 0);
  }
}

function encodeExpected(expected: ExpectedVersion): number {
  switch (expected) {
    case 'any':
      return -1;
    case 'stream_exists':
      return -2;
    case 'no_stream':
      return 0;
    default:
      if (!Number.isInteger(expected) || expected < 0)
        throw new RangeError(`Bad expected version ${expected}`);
      return expected;
  }
}

function toEvent(row: Row): RecordedEvent {
  return {
    globalPosition: Number(row[0]),
    transactionId: Number(row[1]),
    streamId: row[2],
    streamPosition: Number(row[3]),
    eventId: row[4],
    type: row[5],
    schemaVersion: row[6],
    data: row[7],
    metadata: row[8],
    recordedAt: row[9],
  };
}
