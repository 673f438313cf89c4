/** Who did it, for whom, and why: carried by every event, never personal data. */
export interface EventMetadata {
  readonly actor?: string;
  readonly organisation?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly [key: string]: unknown;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  /** Unique across the store; derive it from the command's idempotency key so a retry appends nothing. */
  readonly eventId: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: EventMetadata;
  readonly schemaVersion?: number;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly eventId: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly schemaVersion: number;
  readonly streamId: string;
  /** 1 for the first event of a stream. */
  readonly streamPosition: number;
  readonly globalPosition: number;
  /** The writing transaction: with `globalPosition`, the commit-order key readers checkpoint. */
  readonly transactionId: number;
  readonly recordedAt: Date;
}

/** `no_stream` is the same as version 0; a number is the exact version (last stream position). */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  readonly expectedVersion?: ExpectedVersion;
  /** The recorded time, from the application's clock; the database's clock when absent. */
  readonly recordedAt?: Date;
}

export interface AppendResult {
  /** The stream's version after the append: pass it as the next expected version. */
  readonly nextExpectedVersion: number;
  readonly positions: readonly {
    readonly streamPosition: number;
    readonly globalPosition: number;
  }[];
  /** True when every event was already in the store: a retried append that wrote nothing. */
  readonly duplicate: boolean;
}

/** Position in commit order. Readers store it and resume after it. */
export interface Checkpoint {
  readonly transactionId: number;
  readonly globalPosition: number;
}

export const START: Checkpoint = Object.freeze({ transactionId: 0, globalPosition: 0 });

export interface ReadStreamOptions {
  readonly direction?: 'forward' | 'backward';
  /** Forward: the first position read; backward: the last. */
  readonly fromVersion?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  readonly after?: Checkpoint;
  readonly maxCount?: number;
}

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /** Where the next read resumes: the last event returned, or `after` when there was none. */
  readonly checkpoint: Checkpoint;
}

export interface EventStore {
  append(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Committed events after the checkpoint in commit order, never skipping a late commit. */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /** The stream's current version, 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
}

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** An event id reused for a different event: a programming error, never a retry. */
export class EventIdConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Event ${eventId} already exists and is not part of this append to ${streamId}`);
    this.name = 'EventIdConflictError';
  }
}

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  return a.transactionId - b.transactionId || a.globalPosition - b.globalPosition;
}

export function checkpointOf(event: RecordedEvent): Checkpoint {
  return { transactionId: event.transactionId, globalPosition: event.globalPosition };
}

export function isExpected(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'stream_exists':
      return actual > 0;
    default:
      return actual === expected;
  }
}

/**
 * The domain's view of a stored event. The store checks no shapes: what an event type carries is
 * the domain's contract, kept by its deciders and by upcasters for older versions.
 */
export function toDomainEvent<Event extends { type: string; data: unknown }>(
  event: RecordedEvent,
): Event {
  return { type: event.type, data: event.data } as Event;
}
