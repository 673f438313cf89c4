import type {
  AppendStreamState,
  CurrentStreamState,
  JSONEventData,
  JSONType,
  Position,
  ReadPosition,
  ReadRevision,
  RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { WrongExpectedVersionError as KurrentWrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import {
  Checkpoint,
  compareCheckpoints,
  EventMetadata,
  ExpectedVersion,
  NewEvent,
  RecordedEvent,
  WrongExpectedVersionError,
} from '../event-store';

/*
 * How the port's words map to KurrentDB's, in pure functions: versions count events (1 for the
 * first), KurrentDB's revisions index them (0 for the first); a checkpoint is a log position,
 * `transactionId` its commit part and `globalPosition` its prepare part, which sort the same way.
 */

/** The stream state an append checks, for the port's expected version. */
export function toStreamState(expected: ExpectedVersion): AppendStreamState {
  switch (expected) {
    case 'any':
    case 'no_stream':
    case 'stream_exists':
      return expected;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0)
        throw new RangeError(`Bad expected version ${expected}`);
      return expected === 0 ? 'no_stream' : BigInt(expected - 1);
  }
}

/** The port's version of a stream KurrentDB reports: 0 when it does not exist. */
export function toVersion(state: CurrentStreamState): number {
  return state === 'no_stream' ? 0 : safeNumber(state, 'stream revision') + 1;
}

/** Where a stream read starts: the first event, the last, or the event at a version. */
export function toReadRevision(
  direction: 'forward' | 'backward',
  fromVersion: number | undefined,
): ReadRevision {
  if (fromVersion === undefined) return direction === 'forward' ? 'start' : 'end';
  return BigInt(Math.max(fromVersion, 1) - 1);
}

/** KurrentDB's refusal as the port's typed conflict; any other error as it is. */
export function translateAppendError(
  streamId: string,
  expected: ExpectedVersion,
  error: unknown,
): unknown {
  if (error instanceof KurrentWrongExpectedVersionError) {
    return new WrongExpectedVersionError(streamId, expected, toVersion(error.actualState));
  }
  return error;
}

/**
 * Any other failure of the client, named as KurrentDB's: its own errors say `UnavailableError`,
 * which tells an operator reading "could not start" nothing of where to look.
 */
export function fromKurrentDb(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof WrongExpectedVersionError) return error;
  const what =
    !error.message || error.message === error.name
      ? error.name
      : error.name === 'Error'
        ? error.message
        : `${error.name}: ${error.message}`;
  return new Error(`KurrentDB: ${what}`, { cause: error });
}

export function toCheckpoint(position: Position): Checkpoint {
  return {
    transactionId: safeNumber(position.commit, 'commit position'),
    globalPosition: safeNumber(position.prepare, 'prepare position'),
  };
}

/** Where a read of `$all` after the checkpoint starts; it starts at the checkpoint, skipped by `isAfter`. */
export function toReadPosition(checkpoint: Checkpoint): ReadPosition {
  if (checkpoint.transactionId === 0 && checkpoint.globalPosition === 0) return 'start';
  return { commit: BigInt(checkpoint.transactionId), prepare: BigInt(checkpoint.globalPosition) };
}

export function isAfter(event: RecordedEvent, checkpoint: Checkpoint): boolean {
  return (
    compareCheckpoints(
      { transactionId: event.transactionId, globalPosition: event.globalPosition },
      checkpoint,
    ) > 0
  );
}

/** The later of two checkpoints. */
export function latest(a: Checkpoint, b: Checkpoint): Checkpoint {
  return compareCheckpoints(a, b) >= 0 ? a : b;
}

/** A server-side filter matching exactly these event types (KurrentDB's own filters match prefixes). */
export function eventTypesRegex(types: readonly string[]): string {
  const escaped = types.map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(?:${escaped.join('|')})$`;
}

/**
 * What Relais keeps in an event's metadata beside the port's own: the schema version, the
 * recorded time (the application's clock, not the server's), and the append that wrote it, by
 * which a retried append tells its own events from those of an earlier attempt. The port's
 * correlation and causation ids are also copied where KurrentDB's projections look for them.
 */
export interface Envelope {
  readonly relais: {
    readonly schemaVersion: number;
    readonly recordedAt: string;
    readonly appendId: string;
  };
  readonly metadata: EventMetadata;
  readonly $correlationId?: string;
  readonly $causationId?: string;
}

export function encodeEvent(
  event: NewEvent,
  append: { readonly appendId: string; readonly recordedAt: Date },
): JSONEventData {
  const metadata = event.metadata ?? {};
  const envelope: Envelope = {
    relais: {
      schemaVersion: event.schemaVersion ?? 1,
      recordedAt: append.recordedAt.toISOString(),
      appendId: append.appendId,
    },
    metadata,
    ...(typeof metadata.correlationId === 'string'
      ? { $correlationId: metadata.correlationId }
      : {}),
    ...(typeof metadata.causationId === 'string' ? { $causationId: metadata.causationId } : {}),
  };
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    // JSON as the PostgreSQL store keeps it: an absent payload is null.
    data: (event.data ?? null) as JSONType,
    metadata: envelope as unknown as JSONType,
  };
}

/** Relais's part of a stored event's metadata; undefined for an event another writer stored. */
export function envelopeOf(metadata: unknown): Envelope | undefined {
  if (typeof metadata !== 'object' || metadata === null || !('relais' in metadata))
    return undefined;
  const { relais, metadata: own } = metadata as Partial<Envelope>;
  if (
    typeof relais?.schemaVersion !== 'number' ||
    typeof relais.recordedAt !== 'string' ||
    typeof relais.appendId !== 'string'
  )
    return undefined;
  return {
    relais,
    metadata: typeof own === 'object' && own !== null ? own : {},
  };
}

/**
 * The port's view of an event KurrentDB returned. One that Relais did not write keeps its
 * metadata as it is, version 1 and the server's time.
 */
export function decodeEvent(event: KurrentRecordedEvent): RecordedEvent {
  const position = event.position;
  if (position?.commit === undefined || position.prepare === undefined) {
    throw new Error(
      `KurrentDB returned event ${event.id} without its log position: Relais needs KurrentDB 22.6 or later`,
    );
  }
  const envelope = envelopeOf(event.metadata);
  const { transactionId, globalPosition } = toCheckpoint(position);
  return {
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata:
      envelope?.metadata ??
      (typeof event.metadata === 'object' && !(event.metadata instanceof Uint8Array)
        ? (event.metadata as EventMetadata)
        : {}),
    schemaVersion: envelope?.relais.schemaVersion ?? 1,
    streamId: event.streamId,
    streamPosition: safeNumber(event.revision, 'stream revision') + 1,
    globalPosition,
    transactionId,
    recordedAt: envelope ? new Date(envelope.relais.recordedAt) : event.created,
  };
}

function safeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`KurrentDB ${what} ${value} is outside what Relais counts`);
  return Number(value);
}
