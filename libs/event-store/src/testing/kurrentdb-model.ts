import {
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendToStreamOptions,
  type EventData,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type { KurrentDbConnection } from '../kurrentdb/kurrentdb-event-store';

interface Stored {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  /** As the server keeps them: JSON text, parsed again on every read. */
  readonly data: string;
  readonly metadata: string | undefined;
  readonly revision: bigint;
  readonly commit: bigint;
  readonly prepare: bigint;
  readonly created: Date;
}

/**
 * A model of a KurrentDB server as its client sees it, for the adapter's own logic where no server
 * runs: one log with positions, streams with revisions, and the rules by which the server's index
 * writer decides an append (`CheckCommit`): at an exact or `no_stream` version, the stream at that
 * revision is written to, events already at the revisions after it are a retry, anything else is
 * a conflict; at `any`, a batch whose first id the server has seen in this stream is a retry. The
 * events of one append share their commit position; each has its own prepare position. The
 * server's statistics are written between appends, as system events. It is a model, not the
 * server: only the contract suite against a real KurrentDB says what KurrentDB does.
 */
export class KurrentDbModel implements KurrentDbConnection {
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private readonly byId = new Map<string, Stored>();
  private position = 4_096n;

  appendToStream(
    streamName: string,
    input: EventData | EventData[],
    { streamState = 'any' }: AppendToStreamOptions = {},
  ): Promise<AppendResult> {
    const events = Array.isArray(input) ? input : [input];
    const stream = this.streams.get(streamName) ?? [];
    const current = BigInt(stream.length) - 1n;
    const refuse = () =>
      Promise.reject(
        new WrongExpectedVersionError(undefined, {
          streamName,
          current: current < 0n ? 'no_stream' : current,
          expected: streamState,
        }),
      );
    const retried = (from: bigint) => {
      const last = stream[Number(from) + events.length - 1];
      return Promise.resolve({
        success: true,
        nextExpectedRevision: last?.revision ?? current,
        position: last ? { commit: last.commit, prepare: last.prepare } : undefined,
      });
    };
    let expected: bigint | 'any';
    if (streamState === 'stream_exists') {
      if (current < 0n) return refuse();
      expected = 'any';
    } else {
      expected = streamState === 'no_stream' ? -1n : streamState;
    }
    if (expected === 'any') {
      const first = events[0] && this.byId.get(events[0].id);
      if (first?.streamId === streamName) {
        const all = events.every((e) => this.byId.get(e.id)?.streamId === streamName);
        return all ? retried(first.revision) : refuse();
      }
    } else if (expected < current) {
      const at = (i: number) => stream[Number(expected) + 1 + i];
      if (events.every((e, i) => at(i)?.id === e.id)) return retried(expected + 1n);
      return refuse();
    } else if (expected > current) {
      return refuse();
    }
    const commit = this.position;
    const written = events.map((event, i): Stored => {
      const stored: Stored = {
        streamId: streamName,
        id: event.id,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: event.metadata === undefined ? undefined : JSON.stringify(event.metadata),
        revision: current + 1n + BigInt(i),
        commit,
        prepare: this.position,
        created: new Date(),
      };
      this.position += 128n;
      return stored;
    });
    for (const stored of written) {
      stream.push(stored);
      this.log.push(stored);
      this.byId.set(stored.id, stored);
    }
    this.streams.set(streamName, stream);
    this.statistics();
    const last = written[written.length - 1] as Stored;
    return Promise.resolve({
      success: true,
      nextExpectedRevision: last.revision,
      position: { commit: last.commit, prepare: last.prepare },
    });
  }

  readStream(
    streamName: string,
    { direction = 'forwards', fromRevision = 'start', maxCount }: ReadStreamOptions = {},
  ): AsyncIterableIterator<ResolvedEvent> {
    const stream = this.streams.get(streamName);
    const selected = (stream ?? []).filter((e) =>
      direction === 'forwards'
        ? fromRevision === 'start' || (fromRevision !== 'end' && e.revision >= fromRevision)
        : fromRevision === 'end' || (fromRevision !== 'start' && e.revision <= fromRevision),
    );
    if (direction === 'backwards') selected.reverse();
    const limited = selected.slice(0, maxCount === undefined ? undefined : Number(maxCount));
    return iterate(async () => {
      if (!stream) throw new StreamNotFoundError(undefined, streamName);
      return Promise.resolve(limited.map((e) => ({ event: recorded(e) })));
    });
  }

  readAll({
    direction = 'forwards',
    fromPosition = 'start',
    maxCount,
    filter,
  }: ReadAllOptions = {}): AsyncIterableIterator<AllStreamResolvedEvent> {
    const after = (e: Stored) =>
      typeof fromPosition !== 'object' ||
      e.commit > fromPosition.commit ||
      (e.commit === fromPosition.commit && e.prepare >= fromPosition.prepare);
    const before = (e: Stored) =>
      typeof fromPosition !== 'object' ||
      e.commit < fromPosition.commit ||
      (e.commit === fromPosition.commit && e.prepare <= fromPosition.prepare);
    const regex = filter && 'regex' in filter ? new RegExp(filter.regex) : undefined;
    const selected = this.log
      .filter((e) => (direction === 'forwards' ? after(e) : before(e)))
      .filter((e) => !regex || regex.test(filter?.filterOn === 'streamName' ? e.streamId : e.type));
    if (direction === 'backwards') selected.reverse();
    const limited = selected.slice(0, maxCount === undefined ? undefined : Number(maxCount));
    return iterate(() =>
      Promise.resolve(
        limited.map((e) => ({ event: recorded(e) as AllStreamResolvedEvent['event'] })),
      ),
    );
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }

  /** What the server writes to `$stats-…` every so often, between the application's events. */
  private statistics(): void {
    const stream = this.streams.get('$stats-127.0.0.1:2113') ?? [];
    const stored: Stored = {
      streamId: '$stats-127.0.0.1:2113',
      id: `00000000-0000-4000-8000-${String(this.log.length).padStart(12, '0')}`,
      type: '$statsCollected',
      data: '{}',
      metadata: undefined,
      revision: BigInt(stream.length),
      commit: this.position,
      prepare: this.position,
      created: new Date(),
    };
    this.position += 128n;
    stream.push(stored);
    this.streams.set(stored.streamId, stream);
    this.log.push(stored);
  }
}

function recorded(e: Stored): RecordedEvent {
  return {
    streamId: e.streamId,
    id: e.id,
    isJson: true,
    revision: e.revision,
    type: e.type,
    created: e.created,
    data: JSON.parse(e.data) as never,
    metadata: (e.metadata === undefined ? undefined : JSON.parse(e.metadata)) as never,
    position: { commit: e.commit, prepare: e.prepare },
  };
}

/**
 * Results as the client gives them: an async iterator, whose errors come while iterating, and
 * which lets timers run first as a network read would (a reader that loops stays stoppable).
 */
function iterate<T>(results: () => Promise<T[]>): AsyncIterableIterator<T> {
  async function* generate() {
    await new Promise((resolve) => setImmediate(resolve));
    yield* await results();
  }
  return generate();
}
