import {
  AppendOptions,
  AppendResult,
  EventIdConflictError,
  EventStore,
  isExpected,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  START,
  WrongExpectedVersionError,
} from './event-store';
import { noUpcast, Upcast } from './upcasting';

interface State {
  readonly all: RecordedEvent[];
  readonly byId: Map<string, RecordedEvent>;
  readonly streams: Map<string, RecordedEvent[]>;
}

/** The port's behaviour without a database, for fast unit tests; it passes the same contract suite. */
export class InMemoryEventStore implements EventStore {
  private readonly all: RecordedEvent[];
  private readonly byId: Map<string, RecordedEvent>;
  private readonly streams: Map<string, RecordedEvent[]>;

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly upcast: Upcast = noUpcast,
    state: State = { all: [], byId: new Map(), streams: new Map() },
  ) {
    this.all = state.all;
    this.byId = state.byId;
    this.streams = state.streams;
  }

  /** Another reader of the same events, upcasting with `upcast`. */
  withUpcast(upcast: Upcast): InMemoryEventStore {
    return new InMemoryEventStore(this.now, upcast, {
      all: this.all,
      byId: this.byId,
      streams: this.streams,
    });
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error(`Nothing to append to ${streamId}`));
    const stream = this.streams.get(streamId) ?? [];
    const first = events[0] && this.byId.get(events[0].eventId);
    if (first) {
      const stored = events.map((e) => this.byId.get(e.eventId));
      if (stored.some((e) => e?.streamId !== streamId)) {
        return Promise.reject(new EventIdConflictError(streamId, events[0]?.eventId ?? ''));
      }
      return Promise.resolve({
        nextExpectedVersion: stream.length,
        positions: stored.map((e) => ({
          streamPosition: e?.streamPosition ?? 0,
          globalPosition: e?.globalPosition ?? 0,
        })),
        duplicate: true,
      });
    }
    const expected = options.expectedVersion ?? 'any';
    if (!isExpected(expected, stream.length)) {
      return Promise.reject(new WrongExpectedVersionError(streamId, expected, stream.length));
    }
    const clash = events.find((e) => this.byId.has(e.eventId));
    if (clash) return Promise.reject(new EventIdConflictError(streamId, clash.eventId));
    const recordedAt = options.recordedAt ?? this.now();
    const transactionId = this.all.length + 1;
    const recorded = events.map((e, i): RecordedEvent => ({
      eventId: e.eventId,
      type: e.type,
      data: structuredClone(e.data ?? null),
      metadata: structuredClone(e.metadata ?? {}),
      schemaVersion: e.schemaVersion ?? 1,
      streamId,
      streamPosition: stream.length + i + 1,
      globalPosition: this.all.length + i + 1,
      transactionId,
      recordedAt,
    }));
    for (const event of recorded) {
      this.all.push(event);
      stream.push(event);
      this.byId.set(event.eventId, event);
    }
    this.streams.set(streamId, stream);
    return Promise.resolve({
      nextExpectedVersion: stream.length,
      positions: recorded.map((e) => ({
        streamPosition: e.streamPosition,
        globalPosition: e.globalPosition,
      })),
      duplicate: false,
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId) ?? [];
    const backward = options.direction === 'backward';
    const from = options.fromVersion ?? (backward ? Number.MAX_SAFE_INTEGER : 1);
    const selected = backward
      ? stream.filter((e) => e.streamPosition <= from).reverse()
      : stream.filter((e) => e.streamPosition >= from);
    return Promise.resolve(selected.slice(0, options.maxCount ?? selected.length).map(this.upcast));
  }

  readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? START;
    const events = this.all
      .filter(
        (e) =>
          e.transactionId > after.transactionId ||
          (e.transactionId === after.transactionId && e.globalPosition > after.globalPosition),
      )
      .slice(0, options.maxCount ?? 1000);
    const last = events[events.length - 1];
    return Promise.resolve({
      events: events.map(this.upcast),
      checkpoint: last
        ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
        : after,
    });
  }

  streamVersion(streamId: string): Promise<number> {
    return Promise.resolve(this.streams.get(streamId)?.length ?? 0);
  }
}
