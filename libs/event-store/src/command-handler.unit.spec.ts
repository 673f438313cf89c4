import { appendAtCurrentVersion, appendDecided, commandHandler } from './command-handler';
import { WrongExpectedVersionError } from './event-store';
import { InMemoryEventStore } from './in-memory-event-store';

type Counted = { type: 'Counted'; data: { by: number } };
const counter = commandHandler<Counted, number>({
  initialState: 0,
  evolve: (total, event) => total + event.data.by,
});
const add = (by: number) => (): Counted[] => [{ type: 'Counted', data: { by } }];

describe('commandHandler', () => {
  it('folds the stream, decides on its state and appends at the version read', async () => {
    const store = new InMemoryEventStore();
    const identity = { actor: 'staff-1', content: { add: 2 } };
    await counter(store, 'counter-1', add(2), { identity });
    const seen: number[] = [];
    const second = await counter(
      store,
      'counter-1',
      (total) => {
        seen.push(total);
        return add(3)();
      },
      { identity: { actor: 'staff-1', content: { add: 3 } } },
    );
    expect(seen).toEqual([2]);
    expect(second).toMatchObject({ state: 5, nextExpectedVersion: 2, repeated: false });
    expect((await store.readStream('counter-1')).map((e) => e.data)).toEqual([
      { by: 2 },
      { by: 3 },
    ]);
  });

  it('answers a retry under the same idempotency key with its first events, writing nothing', async () => {
    const store = new InMemoryEventStore();
    const identity = { actor: 'staff-1', idempotencyKey: 'k1', content: { add: 2 } };
    const first = await counter(store, 'counter-1', add(2), { identity });
    await counter(store, 'counter-1', add(5), { identity: { ...identity, idempotencyKey: 'k2' } });
    const retry = await counter(store, 'counter-1', add(2), { identity });
    expect(retry).toMatchObject({ repeated: true, eventIds: first.eventIds });
    expect(retry.nextExpectedVersion).toBe(1);
    expect(await store.streamVersion('counter-1')).toBe(2);
  });

  it('writes once the same command decided twice on the same version, by its content', async () => {
    const store = new InMemoryEventStore();
    const identity = { actor: 'staff-1', content: { add: 2 } };
    const [a, b] = await Promise.all([
      counter(store, 'counter-1', add(2), { identity }),
      counter(store, 'counter-1', add(2), { identity }),
    ]);
    expect(a.eventIds).toEqual(b.eventIds);
    expect(await store.streamVersion('counter-1')).toBe(1);
  });

  it('refuses an append behind a concurrent change, and writes nothing when nothing is decided', async () => {
    const store = new InMemoryEventStore();
    const nothing = await counter(store, 'counter-1', () => [], {
      identity: { actor: 'a', content: 1 },
    });
    expect(nothing).toMatchObject({ events: [], nextExpectedVersion: 0 });
    await expect(
      counter(
        store,
        'counter-1',
        async () => {
          await appendDecided(
            store,
            'counter-1',
            add(1)(),
            { actor: 'b', idempotencyKey: 'x', content: null },
            {},
          );
          return add(2)();
        },
        { identity: { actor: 'a', content: 2 } },
      ),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });
});

describe('appendDecided', () => {
  it('needs an idempotency key or the version the events were decided on', async () => {
    await expect(
      appendDecided(new InMemoryEventStore(), 's', add(1)(), { actor: 'a', content: 1 }, {}),
    ).rejects.toThrow('idempotency key or the version');
  });
});

describe('appendAtCurrentVersion', () => {
  const identity = { actor: 'admin', content: { years: 10 } };

  it('appends on the version the stream has now: the same change made again later is a new event', async () => {
    const store = new InMemoryEventStore();
    const first = await appendAtCurrentVersion(store, 's', add(1)(), identity);
    const later = await appendAtCurrentVersion(store, 's', add(1)(), identity);
    expect(first.nextExpectedVersion).toBe(1);
    expect(later).toMatchObject({ nextExpectedVersion: 2, repeated: false });
    expect(later.eventIds).not.toEqual(first.eventIds);
  });

  it('gives a repeat on an unchanged stream the first ids back', async () => {
    const store = new InMemoryEventStore();
    const first = await appendAtCurrentVersion(store, 's', add(1)(), identity);
    await appendDecided(store, 's', add(1)(), { ...identity, version: 0 }, {});
    expect((await store.readStream('s')).map((e) => e.eventId)).toEqual(first.eventIds);
  });
});
