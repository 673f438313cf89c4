import { CommandBasis, commandEventIds, inSpan, streamCategory } from '@relais/kernel';
import {
  EventMetadata,
  EventStore,
  ExpectedVersion,
  RecordedEvent,
  toDomainEvent,
} from './event-store';

/** What a stream's events fold into: the part of a decider the command path needs. */
export interface Evolver<Event, State> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
}

/** Who asks and what: the command's event ids derive from it (see `commandEventIds`). */
export type CommandIdentity = Omit<CommandBasis, 'stream' | 'version'>;

export interface CommandOptions {
  readonly identity: CommandIdentity;
  readonly metadata?: EventMetadata;
  /** The application's clock; the database's when absent. */
  readonly recordedAt?: Date;
  /** The version read when absent: a concurrent change is a conflict, never a lost update. */
  readonly expectedVersion?: ExpectedVersion;
}

export interface CommandHooks<State> {
  /** Run on every read, a repeat included: who may address the stream at all. */
  readonly check?: (read: StreamRead<State>) => void;
  /** Run on a repeat, given its first attempt's first event: is it the same request? */
  readonly onRepeat?: (first: RecordedEvent) => void;
}

export interface StreamRead<State> {
  readonly state: State;
  /** The stream's version when it was read, 0 when it did not exist. */
  readonly version: number;
  readonly history: readonly RecordedEvent[];
}

export interface Handled<State, Event> {
  /** The state after the command's events. */
  readonly state: State;
  /** What the command decided; for a repeated command, what its first attempt did. */
  readonly events: readonly Event[];
  readonly eventIds: readonly string[];
  readonly nextExpectedVersion: number;
  /** The command had already been handled: nothing new was written. */
  readonly repeated: boolean;
}

type DomainEvent = { readonly type: string; readonly data: unknown };

/**
 * Decides on a stream's current state: the shape of the decision, given the state and the read.
 * Returning no events writes nothing.
 */
export type Decision<State, Event> = (
  state: State,
  read: StreamRead<State>,
) => readonly Event[] | Promise<readonly Event[]>;

/**
 * The one command path, after Emmett's `CommandHandler`: load the stream, fold it, decide, and
 * append with the version read, under event ids derived from the command (`commandEventIds`). A
 * command retried under its idempotency key finds its first attempt's events and writes nothing.
 */
export function commandHandler<Event extends DomainEvent, State>(evolver: Evolver<Event, State>) {
  const foldAll = (state: State, events: readonly Event[]) =>
    events.reduce((s, e) => evolver.evolve(s, e), state);

  const handleTraced = (
    store: EventStore,
    streamId: string,
    decide: Decision<State, Event>,
    options: CommandOptions & CommandHooks<State>,
  ): Promise<Handled<State, Event>> => {
    const category = streamCategory(streamId);
    return inSpan(`command ${category}`, { 'relais.stream.category': category }, async (span) => {
      const handled = await handle(store, streamId, decide, options);
      span.setAttributes({
        'relais.events': handled.events.map((e) => e.type),
        'relais.command.repeated': handled.repeated,
      });
      return handled;
    });
  };

  async function handle(
    store: EventStore,
    streamId: string,
    decide: Decision<State, Event>,
    options: CommandOptions & CommandHooks<State>,
  ): Promise<Handled<State, Event>> {
    const history = await store.readStream(streamId);
    const version = history[history.length - 1]?.streamPosition ?? 0;
    const state = foldAll(evolver.initialState, history.map(toDomainEvent<Event>));
    const read = { state, version, history };
    options.check?.(read);
    const basis: CommandBasis = { ...options.identity, stream: streamId, version };
    const repeated = repeatOf(history, basis);
    if (repeated[0]) {
      options.onRepeat?.(repeated[0]);
      return {
        state,
        events: repeated.map(toDomainEvent<Event>),
        eventIds: repeated.map((e) => e.eventId),
        nextExpectedVersion: repeated[repeated.length - 1]?.streamPosition ?? version,
        repeated: true,
      };
    }
    const events = await decide(state, read);
    if (events.length === 0) {
      return { state, events, eventIds: [], nextExpectedVersion: version, repeated: false };
    }
    const appended = await appendDecided(store, streamId, events, basis, {
      ...(options.metadata ? { metadata: options.metadata } : {}),
      ...(options.recordedAt ? { recordedAt: options.recordedAt } : {}),
      expectedVersion: options.expectedVersion ?? version,
    });
    return { ...appended, state: foldAll(state, events), events };
  }
  return handleTraced;
}

/**
 * The command path's last step alone, for events decided without reading their stream (the
 * first events of an obligation, a delivery's outcome): the same ids, the same append.
 */
export async function appendDecided(
  store: EventStore,
  streamId: string,
  events: readonly DomainEvent[],
  /** Without an idempotency key, ids derive from the content and the version it was decided on. */
  basis: CommandIdentity & { readonly version?: number },
  options: Omit<CommandOptions, 'identity'>,
): Promise<{ eventIds: readonly string[]; nextExpectedVersion: number; repeated: boolean }> {
  if (basis.idempotencyKey === undefined && basis.version === undefined) {
    throw new Error(`Events for ${streamId} need an idempotency key or the version decided on`);
  }
  const eventIds = commandEventIds(
    { ...basis, stream: streamId, version: basis.version ?? 0 },
    events.length,
  );
  const result = await store.append(
    streamId,
    events.map((event, i) => ({
      eventId: eventIds[i] as string,
      type: event.type,
      data: event.data,
      ...(options.metadata ? { metadata: options.metadata } : {}),
    })),
    {
      ...(options.expectedVersion === undefined
        ? {}
        : { expectedVersion: options.expectedVersion }),
      ...(options.recordedAt ? { recordedAt: options.recordedAt } : {}),
    },
  );
  return { eventIds, nextExpectedVersion: result.nextExpectedVersion, repeated: result.duplicate };
}

/**
 * Appends a change decided outside a fold (a row's update that its event records) at the version
 * the stream has now: the caller's lock (the changed row's) orders concurrent changes, and the
 * version read is both the ids' basis and the expected version.
 */
export async function appendAtCurrentVersion(
  store: EventStore,
  streamId: string,
  events: readonly DomainEvent[],
  identity: CommandIdentity,
  options: Omit<CommandOptions, 'identity' | 'expectedVersion'> = {},
): Promise<{ eventIds: readonly string[]; nextExpectedVersion: number; repeated: boolean }> {
  const version = await store.streamVersion(streamId);
  return appendDecided(
    store,
    streamId,
    events,
    { ...identity, version },
    { ...options, expectedVersion: version === 0 ? 'no_stream' : version },
  );
}

/** The events a command's earlier attempt appended under its key, in order; none without a key. */
function repeatOf(history: readonly RecordedEvent[], basis: CommandBasis): RecordedEvent[] {
  if (basis.idempotencyKey === undefined) return [];
  const [firstId] = commandEventIds(basis, 1);
  const first = history.findIndex((e) => e.eventId === firstId);
  if (first < 0) return [];
  const ids = new Set(commandEventIds(basis, history.length - first));
  return history.slice(first).filter((e) => ids.has(e.eventId));
}
