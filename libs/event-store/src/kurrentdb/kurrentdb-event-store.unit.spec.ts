import { randomUUID } from 'node:crypto';
import { START } from '../event-store';
import { anEvent, eventStoreContract } from '../testing/event-store.contract';
import { KurrentDbModel } from '../testing/kurrentdb-model';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/*
 * The adapter's own logic (revisions, retries told from first writes, refusals, reads of $all
 * past system events and checkpoints) on a model of KurrentDB's rules. What the server does is
 * the int spec's to show, against a real one.
 */
describe('KurrentDbEventStore against a model of KurrentDB', () => {
  const model = new KurrentDbModel();
  eventStoreContract(
    ({ upcast }) =>
      Promise.resolve({
        store: new KurrentDbEventStore(model, upcast ? { upcast } : {}),
        close: () => Promise.resolve(),
      }),
    { eventIds: 'stream' },
  );

  const store = new KurrentDbEventStore(model);
  const stream = () => `case-${randomUUID()}`;

  it('answers a retry at any version as a duplicate while the server remembers its ids', async () => {
    const id = stream();
    const batch = [anEvent(), anEvent()];
    const first = await store.append(id, batch);
    await store.append(id, [anEvent()]);
    await expect(store.append(id, batch)).resolves.toEqual({
      duplicate: true,
      positions: first.positions,
      nextExpectedVersion: 3,
    });
  });

  it('refuses a batch that repeats some of a stream’s events and not the others', async () => {
    const id = stream();
    const stored = anEvent();
    await store.append(id, [stored, anEvent()]);
    await expect(
      store.append(id, [stored, anEvent()], { expectedVersion: 'no_stream' }),
    ).rejects.toMatchObject({ name: 'EventIdConflictError', eventId: stored.eventId });
    expect(await store.streamVersion(id)).toBe(2);
  });

  it('reads one type past the others, its checkpoint at the head once the log is read', async () => {
    const type = `Probe${randomUUID().slice(0, 8)}`;
    const mine = anEvent({ type });
    await store.append(stream(), [anEvent(), mine, anEvent()]);
    const read = await store.readAllOfTypes({ after: START, maxCount: 10, eventTypes: [type] });
    expect(read.events.map((e) => e.eventId)).toEqual([mine.eventId]);
    const { checkpoint: head } = await store.readAllOfTypes({ after: START, maxCount: 1_000_000 });
    expect(read.checkpoint).toEqual(head);
    const again = await store.readAllOfTypes({
      after: read.checkpoint,
      maxCount: 10,
      eventTypes: [type],
    });
    expect(again).toEqual({ events: [], checkpoint: read.checkpoint });
    const full = await store.readAllOfTypes({ after: START, maxCount: 1, eventTypes: [type] });
    expect(full.checkpoint).toEqual({
      transactionId: full.events[0]?.transactionId,
      globalPosition: full.events[0]?.globalPosition,
    });
  });
});
