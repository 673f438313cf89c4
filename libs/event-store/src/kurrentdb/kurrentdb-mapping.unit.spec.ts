import {
  UnavailableError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { NewEvent, START, WrongExpectedVersionError } from '../event-store';
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

/** An event as the client returns it after KurrentDB stored what `encodeEvent` wrote. */
function stored(
  written: ReturnType<typeof encodeEvent>,
  at: { revision: bigint; commit: bigint; prepare: bigint },
): KurrentRecordedEvent {
  return {
    streamId: 'case-1',
    id: written.id,
    isJson: true,
    revision: at.revision,
    type: written.type,
    created: new Date('2026-12-04T10:00:00.000Z'),
    // What the server gives back is what went in, through JSON.
    data: JSON.parse(JSON.stringify(written.data)) as never,
    metadata: JSON.parse(JSON.stringify(written.metadata)) as never,
    position: { commit: at.commit, prepare: at.prepare },
  };
}

const event: NewEvent = {
  eventId: '3f0c1a52-8f7e-4c55-9d1e-6f7a2b9c0d11',
  type: 'RisSuppressed',
  data: { caseId: 'case-1', effectiveOn: '2026-12-01' },
  metadata: {
    actor: 'staff-1',
    organisation: 'cpas-ciney',
    correlationId: 'c-1',
    causationId: 'e-0',
  },
  schemaVersion: 2,
};

describe('KurrentDB mapping', () => {
  it('maps the expected version to the stream state KurrentDB checks: versions count, revisions index', () => {
    expect(toStreamState('any')).toBe('any');
    expect(toStreamState('no_stream')).toBe('no_stream');
    expect(toStreamState('stream_exists')).toBe('stream_exists');
    expect(toStreamState(0)).toBe('no_stream');
    expect(toStreamState(1)).toBe(0n);
    expect(toStreamState(42)).toBe(41n);
    expect(() => toStreamState(-1)).toThrow(RangeError);
    expect(() => toStreamState(1.5)).toThrow(RangeError);
  });

  it('maps KurrentDB’s current stream state and read starts to versions', () => {
    expect(toVersion('no_stream')).toBe(0);
    expect(toVersion(0n)).toBe(1);
    expect(toVersion(41n)).toBe(42);
    expect(() => toVersion(2n ** 60n)).toThrow(RangeError);
    expect(toReadRevision('forward', undefined)).toBe('start');
    expect(toReadRevision('backward', undefined)).toBe('end');
    expect(toReadRevision('forward', 3)).toBe(2n);
    expect(toReadRevision('backward', 1)).toBe(0n);
    expect(toReadRevision('forward', 0)).toBe(0n);
  });

  it('turns KurrentDB’s WrongExpectedVersionError into the port’s, with the actual version', () => {
    const refused = translateAppendError(
      'case-1',
      2,
      new KurrentWrongExpectedVersionError(undefined, {
        streamName: 'case-1',
        expected: 1n,
        current: 2n,
      }),
    );
    expect(refused).toBeInstanceOf(WrongExpectedVersionError);
    expect(refused).toMatchObject({ streamId: 'case-1', expected: 2, actual: 3 });
    expect(
      translateAppendError(
        'case-2',
        'stream_exists',
        new KurrentWrongExpectedVersionError(undefined, {
          streamName: 'case-2',
          expected: 'stream_exists',
          current: 'no_stream',
        }),
      ),
    ).toMatchObject({ streamId: 'case-2', expected: 'stream_exists', actual: 0 });
    const other = new Error('connection reset');
    expect(translateAppendError('case-1', 'any', other)).toBe(other);
  });

  it('names KurrentDB in its other errors, and leaves the port’s as they are', () => {
    const unavailable = fromKurrentDb(new UnavailableError());
    expect(unavailable).toBeInstanceOf(Error);
    expect((unavailable as Error).message).toMatch(/^KurrentDB: /);
    expect((unavailable as Error).cause).toBeInstanceOf(UnavailableError);
    expect((fromKurrentDb(new Error('connect ECONNREFUSED')) as Error).message).toBe(
      'KurrentDB: connect ECONNREFUSED',
    );
    const conflict = new WrongExpectedVersionError('case-1', 1, 2);
    expect(fromKurrentDb(conflict)).toBe(conflict);
  });

  it('wraps a log position in a checkpoint that sorts as $all does, and back', () => {
    const checkpoint = toCheckpoint({ commit: 1_024n, prepare: 980n });
    expect(checkpoint).toEqual({ transactionId: 1_024, globalPosition: 980 });
    expect(toReadPosition(checkpoint)).toEqual({ commit: 1_024n, prepare: 980n });
    expect(toReadPosition(START)).toBe('start');
    expect(() => toCheckpoint({ commit: 2n ** 53n, prepare: 0n })).toThrow(RangeError);
    const at = (commit: number, prepare: number) =>
      decodeEvent(
        stored(encodeEvent(event, { appendId: 'a', recordedAt: new Date() }), {
          revision: 0n,
          commit: BigInt(commit),
          prepare: BigInt(prepare),
        }),
      );
    expect(isAfter(at(1_024, 980), checkpoint)).toBe(false);
    expect(isAfter(at(1_024, 1_000), checkpoint)).toBe(true);
    expect(isAfter(at(2_000, 10), checkpoint)).toBe(true);
    expect(isAfter(at(900, 2_000), checkpoint)).toBe(false);
    expect(latest(checkpoint, START)).toBe(checkpoint);
    expect(latest(START, checkpoint)).toBe(checkpoint);
  });

  it('filters exactly the event types named, not every type they begin', () => {
    const filter = new RegExp(eventTypesRegex(['ObligationOpened', 'a.b(c)']));
    expect(filter.test('ObligationOpened')).toBe(true);
    expect(filter.test('ObligationOpenedLate')).toBe(false);
    expect(filter.test('PrefixObligationOpened')).toBe(false);
    expect(filter.test('a.b(c)')).toBe(true);
    expect(filter.test('axb(c)')).toBe(false);
  });

  it('carries the schema version, recorded time and metadata in the event’s metadata, and reads them back', () => {
    const recordedAt = new Date('2026-11-20T09:30:00.000Z');
    const written = encodeEvent(event, { appendId: 'append-1', recordedAt });
    expect(written).toMatchObject({
      id: event.eventId,
      type: 'RisSuppressed',
      contentType: 'application/json',
      data: event.data,
      metadata: {
        relais: { schemaVersion: 2, recordedAt: '2026-11-20T09:30:00.000Z', appendId: 'append-1' },
        metadata: event.metadata,
        // Where KurrentDB's own projections ($by_correlation_id) look for them.
        $correlationId: 'c-1',
        $causationId: 'e-0',
      },
    });
    const read = stored(written, { revision: 4n, commit: 7_000n, prepare: 6_900n });
    expect(decodeEvent(read)).toEqual({
      eventId: event.eventId,
      type: 'RisSuppressed',
      data: event.data,
      metadata: event.metadata,
      schemaVersion: 2,
      streamId: 'case-1',
      streamPosition: 5,
      globalPosition: 6_900,
      transactionId: 7_000,
      recordedAt,
    });
    expect(envelopeOf(read.metadata)?.relais.appendId).toBe('append-1');
  });

  it('keeps an absent payload as null and metadata as {}, like the PostgreSQL store', () => {
    const written = encodeEvent(
      { eventId: event.eventId, type: 'CaseClosed', data: undefined },
      { appendId: 'append-2', recordedAt: new Date(0) },
    );
    expect(written.data).toBeNull();
    expect(written.metadata).not.toHaveProperty('$correlationId');
    const read = decodeEvent(stored(written, { revision: 0n, commit: 1n, prepare: 1n }));
    expect(read).toMatchObject({ data: null, metadata: {}, schemaVersion: 1 });
  });

  it('reads an event another writer stored as version 1, at the server’s time, its metadata as it is', () => {
    const created = new Date('2026-12-04T10:00:00.000Z');
    const foreign = {
      streamId: 'legacy-1',
      id: '7d4e3c2b-1a09-4f8e-8d7c-6b5a49382716',
      isJson: true,
      revision: 0n,
      type: 'Imported',
      created,
      data: { x: 1 },
      metadata: { $correlationId: 'x' },
      position: { commit: 5n, prepare: 5n },
    } as KurrentRecordedEvent;
    expect(decodeEvent(foreign)).toMatchObject({
      metadata: { $correlationId: 'x' },
      schemaVersion: 1,
      recordedAt: created,
      streamPosition: 1,
    });
    expect(() => decodeEvent({ ...foreign, position: undefined })).toThrow(
      /without its log position/,
    );
  });
});
