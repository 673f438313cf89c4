import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  EventIdConflictError,
  EventStore,
  NewEvent,
  RecordedEvent,
  START,
  WrongExpectedVersionError,
} from '../event-store';
import { Upcast, upcasterChain } from '../upcasting';

export interface StoreUnderTest {
  readonly store: EventStore;
  close(): Promise<void>;
}

export type StoreFactory = (options: { upcast?: Upcast }) => Promise<StoreUnderTest>;

export interface StoreGuarantees {
  /**
   * `store`: an event id is unique across the store, and one reused for another event is refused
   * (PostgreSQL, in memory). `stream`: ids are checked within their stream only, as KurrentDB
   * does; Relais's ids name their stream, so none is shared.
   */
  readonly eventIds: 'store' | 'stream';
}

export function anEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'RisSuppressed',
    data: { caseId: 'case-1', reason: 'resources_above_threshold' },
    metadata: {
      actor: 'staff-1',
      organisation: 'cpas-ciney',
      correlationId: 'c-1',
      causationId: 'c-1',
    },
    ...overrides,
  };
}

const events = (n: number) => Array.from({ length: n }, (_, i) => anEvent({ data: { n: i + 1 } }));
const stream = () => `case-${randomUUID()}`;

/** The behaviour every EventStore adapter must show; each adapter's spec runs it. */
export function eventStoreContract(
  makeStore: StoreFactory,
  guarantees: StoreGuarantees = { eventIds: 'store' },
): void {
  let subject: StoreUnderTest;
  let store: EventStore;

  beforeAll(async () => {
    subject = await makeStore({});
    store = subject.store;
  });
  afterAll(() => subject.close());

  describe('append', () => {
    it('numbers a new stream from 1 and reports the next expected version', async () => {
      const id = stream();
      const result = await store.append(id, events(3), { expectedVersion: 'no_stream' });
      expect(result.duplicate).toBe(false);
      expect(result.nextExpectedVersion).toBe(3);
      expect(result.positions.map((p) => p.streamPosition)).toEqual([1, 2, 3]);
      const globals = result.positions.map((p) => p.globalPosition);
      expect(globals).toEqual([...globals].sort((a, b) => a - b));
      expect(await store.streamVersion(id)).toBe(3);
    });

    it('appends at the exact expected version and refuses a stale one with the actual version', async () => {
      const id = stream();
      await store.append(id, events(2), { expectedVersion: 'no_stream' });
      await store.append(id, events(1), { expectedVersion: 2 });
      const stale = store.append(id, events(1), { expectedVersion: 2 });
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(stale).rejects.toMatchObject({ streamId: id, expected: 2, actual: 3 });
      expect(await store.streamVersion(id)).toBe(3);
    });

    it('refuses no_stream on an existing stream and stream_exists on a missing one', async () => {
      const id = stream();
      await expect(
        store.append(id, events(1), { expectedVersion: 'stream_exists' }),
      ).rejects.toMatchObject({
        actual: 0,
      });
      await store.append(id, events(1), { expectedVersion: 'no_stream' });
      await expect(
        store.append(id, events(1), { expectedVersion: 'no_stream' }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(
        store.append(id, events(1), { expectedVersion: 'stream_exists' }),
      ).resolves.toMatchObject({
        nextExpectedVersion: 2,
      });
      await expect(store.append(id, events(1), { expectedVersion: 0 })).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
    });

    it('appends anywhere with any', async () => {
      const id = stream();
      await store.append(id, events(1));
      await store.append(id, events(2), { expectedVersion: 'any' });
      expect(await store.streamVersion(id)).toBe(3);
    });

    it('writes nothing when a batch is refused', async () => {
      const id = stream();
      await store.append(id, events(1));
      await expect(store.append(id, events(5), { expectedVersion: 7 })).rejects.toThrow();
      expect(await store.readStream(id)).toHaveLength(1);
    });

    it('treats a retried append as a duplicate: no new row, the original positions', async () => {
      const id = stream();
      const batch = events(2);
      const first = await store.append(id, batch, { expectedVersion: 'no_stream' });
      const retry = await store.append(id, batch, { expectedVersion: 'no_stream' });
      expect(retry.duplicate).toBe(true);
      expect(retry.positions).toEqual(first.positions);
      expect(retry.nextExpectedVersion).toBe(2);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('answers a retry as a duplicate whatever was appended since and whatever version it expects', async () => {
      // A retry at the version of its first attempt, the stream moved on since; and a retry at a
      // version older than its first attempt's, where the stream is not refused for it.
      const movedOn = stream();
      const batch = events(2);
      const first = await store.append(movedOn, batch, { expectedVersion: 'no_stream' });
      await store.append(movedOn, events(1), { expectedVersion: 2 });
      const older = stream();
      await store.append(older, events(1));
      const later = events(2);
      const firstLater = await store.append(older, later, { expectedVersion: 1 });
      const duplicate = (positions: AppendResult['positions']) => ({
        duplicate: true,
        positions,
        nextExpectedVersion: 3,
      });
      expect(await store.append(movedOn, batch, { expectedVersion: 'no_stream' })).toEqual(
        duplicate(first.positions),
      );
      expect(await store.append(older, later, { expectedVersion: 'no_stream' })).toEqual(
        duplicate(firstLater.positions),
      );
      expect(await store.readStream(movedOn)).toHaveLength(3);
      expect(await store.readStream(older)).toHaveLength(3);
    });

    if (guarantees.eventIds === 'store') {
      it('refuses an event id already used for another event', async () => {
        const reused = anEvent();
        await store.append(stream(), [reused]);
        await expect(store.append(stream(), [reused])).rejects.toBeInstanceOf(EventIdConflictError);
        const id = stream();
        await expect(store.append(id, [anEvent(), reused])).rejects.toBeInstanceOf(
          EventIdConflictError,
        );
        expect(await store.streamVersion(id)).toBe(0);
      });
    } else {
      it('checks event ids within their stream: another stream may hold the same id', async () => {
        const reused = anEvent();
        const first = stream();
        const second = stream();
        await store.append(first, [reused]);
        await expect(store.append(second, [reused])).resolves.toMatchObject({ duplicate: false });
        await expect(
          store.append(first, [reused], { expectedVersion: 'no_stream' }),
        ).resolves.toMatchObject({ duplicate: true, nextExpectedVersion: 1 });
        expect(await store.streamVersion(first)).toBe(1);
        expect(await store.streamVersion(second)).toBe(1);
      });
    }

    it('keeps data, metadata, schema version and the recorded time given', async () => {
      const id = stream();
      const recordedAt = new Date('2026-11-20T09:30:00.000Z');
      const event = anEvent({ schemaVersion: 2, data: { nested: { list: [1, 'é', null] } } });
      await store.append(id, [event], { recordedAt });
      const [read] = await store.readStream(id);
      expect(read).toMatchObject({
        eventId: event.eventId,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        schemaVersion: 2,
        streamId: id,
        streamPosition: 1,
      });
      expect(read?.recordedAt.toISOString()).toBe(recordedAt.toISOString());
    });
  });

  describe('readStream', () => {
    it('reads forward and backward, from a version, up to a count', async () => {
      const id = stream();
      await store.append(id, events(5));
      const positions = (list: RecordedEvent[]) => list.map((e) => e.streamPosition);
      expect(positions(await store.readStream(id))).toEqual([1, 2, 3, 4, 5]);
      expect(positions(await store.readStream(id, { fromVersion: 3 }))).toEqual([3, 4, 5]);
      expect(positions(await store.readStream(id, { fromVersion: 2, maxCount: 2 }))).toEqual([
        2, 3,
      ]);
      expect(positions(await store.readStream(id, { direction: 'backward' }))).toEqual([
        5, 4, 3, 2, 1,
      ]);
      expect(
        positions(
          await store.readStream(id, { direction: 'backward', fromVersion: 4, maxCount: 2 }),
        ),
      ).toEqual([4, 3]);
      expect(await store.readStream(stream())).toEqual([]);
    });
  });

  describe('readAll', () => {
    it('reads every event after a checkpoint, in commit order, page by page', async () => {
      const { checkpoint: before } = await readToEnd(store);
      const a = stream();
      const b = stream();
      await store.append(a, events(2));
      await store.append(b, events(3));
      await store.append(a, events(1));
      const page1 = await store.readAll({ after: before, maxCount: 4 });
      const page2 = await store.readAll({ after: page1.checkpoint, maxCount: 4 });
      const read = [...page1.events, ...page2.events];
      expect(read.map((e) => [e.streamId, e.streamPosition])).toEqual([
        [a, 1],
        [a, 2],
        [b, 1],
        [b, 2],
        [b, 3],
        [a, 3],
      ]);
      const empty = await store.readAll({ after: page2.checkpoint });
      expect(empty.events).toEqual([]);
      expect(empty.checkpoint).toEqual(page2.checkpoint);
    });
  });

  describe('upcasting', () => {
    it('upgrades old events on every read, and leaves the stored event as written', async () => {
      const upcast = upcasterChain([
        {
          type: 'FamilyRelocated',
          fromVersion: 1,
          upcast: (d) => ({ ...(d as object), commune: { name: (d as { to: string }).to } }),
        },
        {
          type: 'FamilyRelocated',
          fromVersion: 2,
          upcast: (d) => ({ ...(d as object), v3: true }),
        },
      ]);
      const upcasting = await makeStore({ upcast });
      try {
        const id = stream();
        await upcasting.store.append(id, [
          anEvent({ type: 'FamilyRelocated', data: { to: 'Rochefort' } }),
        ]);
        const [read] = await upcasting.store.readStream(id);
        expect(read?.schemaVersion).toBe(3);
        expect(read?.data).toEqual({ to: 'Rochefort', commune: { name: 'Rochefort' }, v3: true });
        const [raw] = await store.readStream(id);
        expect(raw?.schemaVersion).toBe(1);
        expect(raw?.data).toEqual({ to: 'Rochefort' });
      } finally {
        await upcasting.close();
      }
    });
  });
}

async function readToEnd(store: EventStore) {
  let checkpoint = START;
  for (;;) {
    const page = await store.readAll({ after: checkpoint, maxCount: 10_000 });
    if (page.events.length === 0) return { checkpoint };
    checkpoint = page.checkpoint;
  }
}
