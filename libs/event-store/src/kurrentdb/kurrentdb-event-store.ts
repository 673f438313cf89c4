import { randomUUID } from 'node:crypto';
import {
  eventTypeFilter,
  excludeSystemEvents,
  KurrentDBClient,
  StreamNotFoundError,
  type ReadStreamOptions as KurrentReadStreamOptions,
  type ReadAllOptions as KurrentReadAllOptions,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  AppendOptions,
  AppendResult,
  EventIdConflictError,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  START,
  WrongExpectedVersionError,
} from '../event-store';
import { noUpcast, Upcast } from '../upcasting';
import { AppendObserver, observedAppend } from '../observed-append';
import {
  decodeEvent,
  encodeEvent,
  envelopeOf,
  eventTypesRegex,
  fromKurrentDb,
  isAfter,
  latest,
  toCheckpoint,
  toReadPosition,
  toReadRevision,
  toStreamState,
  toVersion,
  translateAppendError,
} from './kurrentdb-mapping';

/** What the store uses of the client: a `KurrentDBClient`, or the model of one its unit spec runs on. */
export type KurrentDbConnection = Pick<
  KurrentDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'dispose'
>;

export interface KurrentDbEventStoreOptions {
  readonly upcast?: Upcast;
  /** Called after an append that wrote events. */
  readonly afterAppend?: () => void;
  readonly observeAppend?: AppendObserver;
  /** The recorded time of an append given none; the application's clock. */
  readonly now?: () => Date;
}

/**
 * The event store port on KurrentDB (or EventStoreDB 22.6+), through `@kurrent/kurrentdb-client`.
 *
 * What differs from PostgreSQL, and why it is enough for Relais:
 * - KurrentDB checks event ids per stream, not across the store: a retried append (the same ids
 *   at the same or an earlier expected version) writes nothing and answers `duplicate`; an id
 *   reused in another stream is not refused. Relais's ids derive from their stream
 *   (`commandEventIds`), so no two streams share one.
 * - At `any` version KurrentDB's idempotency rests on its cache of recent event ids (best effort);
 *   every other expected version is checked against the stream itself.
 * - An append is its own transaction: it never joins a PostgreSQL transaction (`within` says so).
 */
export class KurrentDbEventStore implements EventStore {
  private readonly upcast: Upcast;
  private readonly afterAppend: (() => void) | undefined;
  private readonly observeAppend: AppendObserver | undefined;
  private readonly now: () => Date;

  constructor(
    private readonly client: KurrentDbConnection,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {
    this.upcast = options.upcast ?? noUpcast;
    this.afterAppend = options.afterAppend;
    this.observeAppend = options.observeAppend;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The store as a PostgreSQL transaction's code sees it: the same store, whose appends do not
   * wait for that transaction (KurrentDB cannot join it). Callers append before they commit, with
   * ids derived from what they handle, so a rolled-back transaction run again appends nothing new.
   */
  within(_client: unknown, afterAppend?: () => void): KurrentDbEventStore {
    return new KurrentDbEventStore(this.client, {
      ...this.options,
      afterAppend: () => {
        this.afterAppend?.();
        afterAppend?.();
      },
    });
  }

  /** Closes the connection; the views `within` made share it. */
  close(): Promise<void> {
    return this.client.dispose();
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return observedAppend(streamId, events, this.observeAppend, async () => {
      const result = await this.appendOnce(streamId, events, options);
      if (!result.duplicate) this.afterAppend?.();
      return result;
    });
  }

  private async appendOnce(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`Nothing to append to ${streamId}`);
    const expected = options.expectedVersion ?? 'any';
    const appendId = randomUUID();
    const recordedAt = options.recordedAt ?? this.now();
    let revision: bigint;
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event) => encodeEvent(event, { appendId, recordedAt })),
        { streamState: toStreamState(expected) },
      );
      if (!result.success) {
        // A client configured with throwOnAppendFailure=false answers instead of throwing.
        throw new WrongExpectedVersionError(
          streamId,
          expected,
          result.nextExpectedRevision < 0n ? 0 : Number(result.nextExpectedRevision) + 1,
        );
      }
      revision = result.nextExpectedRevision;
    } catch (error) {
      const translated = translateAppendError(streamId, expected, error);
      if (translated instanceof WrongExpectedVersionError)
        return this.refused(streamId, events, translated);
      throw fromKurrentDb(translated);
    }
    // The append's answer gives the stream's revision, not each event's log position, nor whether
    // KurrentDB took it for a retry: the events read back say both.
    const last = Number(revision) + 1;
    const stored = await this.readRaw(streamId, {
      fromRevision: BigInt(last - events.length),
      maxCount: events.length,
      requiresLeader: true,
    });
    if (!sameIds(stored, events)) {
      throw new Error(`KurrentDB answered an append to ${streamId} with events it did not write`);
    }
    const duplicate = stored.some((e) => envelopeOf(e.metadata)?.relais.appendId !== appendId);
    return {
      // A retry is answered where its events lie; the stream may have moved on since.
      nextExpectedVersion: duplicate ? await this.streamVersion(streamId) : last,
      positions: stored.map(positionOf),
      duplicate,
    };
  }

  /**
   * Why KurrentDB refused an append: a retry of events the stream already holds (answered with
   * their positions, as PostgreSQL does whatever the expected version), an id used in this stream
   * for another event, or a stream not at the expected version.
   */
  private async refused(
    streamId: string,
    events: readonly NewEvent[],
    conflict: WrongExpectedVersionError,
  ): Promise<AppendResult> {
    const ids = new Set(events.map((e) => e.eventId));
    const found = (await this.readRaw(streamId, { requiresLeader: true })).filter((e) =>
      ids.has(e.id),
    );
    if (found.length === 0) throw conflict;
    if (!sameIds(found, events)) {
      throw new EventIdConflictError(streamId, found[0]?.id ?? '');
    }
    return {
      nextExpectedVersion: await this.streamVersion(streamId),
      positions: found.map(positionOf),
      duplicate: true,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const direction = options.direction ?? 'forward';
    if (direction === 'backward' && options.fromVersion !== undefined && options.fromVersion < 1)
      return [];
    const events = await this.readRaw(streamId, {
      direction: direction === 'forward' ? 'forwards' : 'backwards',
      fromRevision: toReadRevision(direction, options.fromVersion),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    return events.map((event) => this.upcast(decodeEvent(event)));
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? START;
    const maxCount = options.maxCount ?? 1000;
    const events = await this.readAllRaw(after, maxCount, excludeSystemEvents());
    const last = events[events.length - 1];
    return {
      events: events.map(this.upcast),
      checkpoint: last
        ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
        : after,
    };
  }

  /**
   * A processor's read: only events of these types (all but KurrentDB's own when absent), filtered
   * by the server. Its checkpoint may lie past the last event returned: when the read reached the
   * end of the log, the head seen before it, so a processor whose types are rare, or one waiting
   * while only KurrentDB's statistics are written, does not scan the same events at every poll.
   */
  async readAllOfTypes(options: {
    readonly after: ReadAllOptions['after'];
    readonly maxCount: number;
    readonly eventTypes?: readonly string[];
  }): Promise<ReadAllResult> {
    const after = options.after ?? START;
    const head = await this.head();
    const events = await this.readAllRaw(
      after,
      options.maxCount,
      options.eventTypes
        ? eventTypeFilter({ regex: eventTypesRegex(options.eventTypes) })
        : excludeSystemEvents(),
    );
    const last = events[events.length - 1];
    const lastCheckpoint = last
      ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
      : after;
    return {
      events: events.map(this.upcast),
      checkpoint:
        events.length < options.maxCount
          ? latest(lastCheckpoint, latest(head, after))
          : lastCheckpoint,
    };
  }

  async streamVersion(streamId: string): Promise<number> {
    const [last] = await this.readRaw(streamId, {
      direction: 'backwards',
      fromRevision: 'end',
      maxCount: 1,
    });
    return last ? toVersion(last.revision) : 0;
  }

  /** The log position of the last event of `$all`, system events included. */
  private async head(): Promise<ReturnType<typeof toCheckpoint>> {
    try {
      for await (const resolved of this.client.readAll({
        direction: 'backwards',
        fromPosition: 'end',
        maxCount: 1,
        requiresLeader: true,
      })) {
        const position = resolved.event?.position;
        if (position) return toCheckpoint(position);
      }
    } catch (error) {
      throw fromKurrentDb(error);
    }
    return START;
  }

  private async readAllRaw(
    after: ReadAllResult['checkpoint'],
    maxCount: number,
    filter: NonNullable<KurrentReadAllOptions['filter']>,
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      // The read starts at the checkpoint itself: one more, and the event at the checkpoint dropped.
      for await (const resolved of this.client.readAll({
        fromPosition: toReadPosition(after),
        maxCount: maxCount + 1,
        filter,
        requiresLeader: true,
      })) {
        if (!resolved.event) continue;
        const event = decodeEvent(resolved.event);
        if (isAfter(event, after)) events.push(event);
        if (events.length === maxCount) break;
      }
    } catch (error) {
      throw fromKurrentDb(error);
    }
    return events;
  }

  private async readRaw(
    streamId: string,
    options: KurrentReadStreamOptions,
  ): Promise<NonNullable<ResolvedEvent['event']>[]> {
    const events: NonNullable<ResolvedEvent['event']>[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) events.push(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw fromKurrentDb(error);
    }
    return events;
  }
}

/** The store on the KurrentDB at this connection string; the client connects at first use. */
export function kurrentDbEventStore(
  connectionString: string,
  options: KurrentDbEventStoreOptions = {},
): KurrentDbEventStore {
  return new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString), options);
}

function sameIds(
  stored: readonly { readonly id: string }[],
  events: readonly { readonly eventId: string }[],
): boolean {
  return stored.length === events.length && stored.every((e, i) => e.id === events[i]?.eventId);
}

function positionOf(event: NonNullable<ResolvedEvent['event']>) {
  const recorded = decodeEvent(event);
  return { streamPosition: recorded.streamPosition, globalPosition: recorded.globalPosition };
}
