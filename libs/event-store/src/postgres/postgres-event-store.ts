import { ClientBase, DatabaseError, Pool } from 'pg';
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
import { noUpcast, Upcast } from '../upcasting';

type Queryable = Pool | ClientBase;

export interface PostgresEventStoreOptions {
  readonly upcast?: Upcast;
  /**
   * Called after an append that wrote events, once they are committed (or, inside a caller's
   * transaction, once they are written: the caller then signals after its own commit).
   */
  readonly afterAppend?: () => void;
}

const COLUMNS = `global_position, transaction_id::text, stream_id, stream_position, event_id, type,
  schema_version, data, metadata, recorded_at`;

type Row = [string, string, string, string, string, string, number, unknown, EventMetadata, Date];

const APPEND = `select o_global_position, o_stream_position, o_duplicate
  from append_events($1, $2, $3::uuid[], $4::text[], $5::integer[], $6::jsonb[], $7::jsonb[], $8)`;

const READ_ALL = `select ${COLUMNS} from events
  where (transaction_id, global_position) > ($1::xid8, $2::bigint)
    and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  order by events.transaction_id, events.global_position
  limit $3`;

export class PostgresEventStore implements EventStore {
  private readonly upcast: Upcast;
  private readonly afterAppend: (() => void) | undefined;

  constructor(
    private readonly db: Queryable,
    options: PostgresEventStoreOptions = {},
  ) {
    this.upcast = options.upcast ?? noUpcast;
    this.afterAppend = options.afterAppend;
  }

  /** The same store inside the caller's transaction; `afterAppend` tells the caller to signal after its commit. */
  within(client: ClientBase, afterAppend?: () => void): PostgresEventStore {
    return new PostgresEventStore(client, { upcast: this.upcast, afterAppend });
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`Nothing to append to ${streamId}`);
    const expected = options.expectedVersion ?? 'any';
    let rows: [string, string, boolean][];
    try {
      const result = await this.db.query<[string, string, boolean]>({
        name: 'relais_append',
        text: APPEND,
        rowMode: 'array',
        values: [
          streamId,
          encodeExpected(expected),
          events.map((e) => e.eventId),
          events.map((e) => e.type),
          events.map((e) => e.schemaVersion ?? 1),
          events.map((e) => JSON.stringify(e.data ?? null)),
          events.map((e) => JSON.stringify(e.metadata ?? {})),
          options.recordedAt ?? null,
        ],
      });
      rows = result.rows;
    } catch (error) {
      if (error instanceof DatabaseError && error.code === 'RLV01') {
        throw new WrongExpectedVersionError(streamId, expected, Number(error.detail ?? 0));
      }
      if (error instanceof DatabaseError && error.constraint === 'events_event_id_key') {
        throw new EventIdConflictError(streamId, events[0]?.eventId ?? '');
      }
      throw error;
    }
    const positions = rows.map(([global, stream], i) => {
      if (global === null || stream === null)
        throw new EventIdConflictError(streamId, events[i]?.eventId ?? '');
      return { globalPosition: Number(global), streamPosition: Number(stream) };
    });
    const duplicate = rows[0]?.[2] === true;
    if (!duplicate) this.afterAppend?.();
    const last = positions[positions.length - 1];
    return {
      nextExpectedVersion: duplicate
        ? await this.streamVersion(streamId)
        : (last?.streamPosition ?? 0),
      positions,
      duplicate,
    };
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
    const { rows } = await this.db.query<{ version: string }>(
      'select version from streams where stream_id = $1',
      [streamId],
    );
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
