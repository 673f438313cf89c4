import { spawn, ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Pool } from 'pg';
import { migrate } from '@relais/database';
import { createTestDatabase, testServer } from '../../../../test/support/postgres';
import { anEvent } from '../testing/event-store.contract';
import { SeenEventsProcessor } from '../../../../test/support/seen-events.processor';
import { CommitNotifier } from './commit-notifier';
import { eventStoreMigrations } from './event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';
import { Processor, ProcessorRunner, ProcessorState } from './processor';
import { SharedTail } from './shared-tail';

describe('ProcessorRunner', () => {
  let pool: Pool;
  let url: string;
  let drop: () => Promise<void>;
  let store: PostgresEventStore;
  let notifier: CommitNotifier;
  /** As the app runs them: the processors of this process share their reads of the head. */
  let tail: SharedTail;
  const runners: ProcessorRunner[] = [];

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase(testServer()));
    pool = new Pool({ connectionString: url });
    await migrate(pool, eventStoreMigrations);
    await SeenEventsProcessor.createTable(pool);
    store = new PostgresEventStore(pool);
    notifier = new CommitNotifier({ connectionString: url });
    await notifier.start();
    tail = new SharedTail(store);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await notifier.stop();
    await pool.end();
    await drop();
  });

  function run(processor: Processor, stuckAfterMs?: number): ProcessorRunner {
    const runner = new ProcessorRunner(processor, {
      ...(stuckAfterMs === undefined ? {} : { stuckAfterMs }),
      connection: { connectionString: url },
      notifier,
      store,
      tail,
      pollIntervalMs: 100,
      lockRetryMs: 100,
      batchSize: 10,
    });
    runners.push(runner);
    runner.start();
    return runner;
  }

  async function seen(processor: string) {
    const { rows } = await pool.query<{ event_id: string; handled_by: string }>(
      'select event_id, handled_by from seen_events where processor = $1 order by global_position',
      [processor],
    );
    return rows;
  }

  async function eventually<T>(
    read: () => Promise<T> | T,
    accept: (value: T) => boolean,
    timeoutMs = 10_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    let value = await read();
    while (!accept(value) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      value = await read();
    }
    return value;
  }

  async function checkpointOf(name: string) {
    const { rows } = await pool.query<{ global_position: string }>(
      'select global_position from processor_checkpoints where name = $1',
      [name],
    );
    return Number(rows[0]?.global_position ?? 0);
  }

  it('handles committed events of its types and moves its checkpoint past the others', async () => {
    const wanted = Array.from({ length: 25 }, () => anEvent({ type: 'RisSuppressed' }));
    for (const event of wanted) {
      await store.append(`case-${event.eventId}`, [event, anEvent({ type: 'CaseOpened' })]);
    }
    run(new SeenEventsProcessor('filtered', 'test', ['RisSuppressed']));
    const rows = await eventually(
      () => seen('filtered'),
      (r) => r.length >= 25,
    );
    expect(rows.map((r) => r.event_id)).toEqual(wanted.map((e) => e.eventId));
    const { checkpoint: end } = await store.readAll({ maxCount: 1_000_000 });
    expect(
      await eventually(
        () => checkpointOf('filtered'),
        (p) => p === end.globalPosition,
      ),
    ).toBe(end.globalPosition);
  });

  it('commits a processor that asks for small batches in batches of that size: a backlog shows progress at once', async () => {
    const backlog = Array.from({ length: 10 }, () => anEvent({ type: 'RisSuppressed' }));
    for (const event of backlog) await store.append(`case-${event.eventId}`, [event]);
    const batches: number[] = [];
    run({
      name: 'small-batches',
      batchSize: 4,
      handle: (events) => {
        batches.push(events.length);
        return Promise.resolve();
      },
    });
    const { checkpoint: end } = await store.readAll({ maxCount: 1_000_000 });
    await eventually(
      () => checkpointOf('small-batches'),
      (p) => p === end.globalPosition,
    );
    expect(batches.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...batches)).toBeLessThanOrEqual(4);
  });

  it('gives each of several processors sharing the head every event once, in commit order, under concurrent appends', async () => {
    const { events: earlier } = await store.readAll({ maxCount: 1_000_000 });
    const names = ['shared-a', 'shared-b', 'shared-c', 'shared-d'];
    await Promise.all(names.map((name) => run(new SeenEventsProcessor(name, 'test')).running));
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 25; i++) {
          const event = anEvent();
          await store.append(`case-${event.eventId}`, [event]);
          notifier.signal();
        }
      }),
    );
    // The processors' own transactions hold the read barrier back for a moment.
    const { events } = await eventually(
      () => store.readAll({ maxCount: 1_000_000 }),
      (read) => read.events.length >= earlier.length + 100,
    );
    expect(events).toHaveLength(earlier.length + 100);
    for (const name of names) {
      const rows = await eventually(
        () => seen(name),
        (r) => r.length >= events.length,
      );
      expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
    }
  });

  it('commits a batch and its checkpoint together: a failing batch leaves neither, and is retried', async () => {
    const poison = anEvent({ type: 'Poison' });
    let failing = true;
    const runner = run(
      new SeenEventsProcessor('atomic', 'test', undefined, (e) => failing && e.type === 'Poison'),
    );
    const before = anEvent();
    await store.append(`case-${before.eventId}`, [before]);
    await eventually(
      () => seen('atomic'),
      (r) => r.some((row) => row.event_id === before.eventId),
    );
    const checkpoint = await checkpointOf('atomic');

    await store.append(`case-${poison.eventId}`, [anEvent(), poison]);
    const state = await eventually(
      () => runner.status().state,
      (s) => s === 'failing',
    );
    expect(state).toBe('failing');
    expect(runner.status().lastError).toContain('refused Poison');
    expect(await checkpointOf('atomic')).toBe(checkpoint);
    expect((await seen('atomic')).map((r) => r.event_id)).not.toContain(poison.eventId);

    failing = false;
    const rows = await eventually(
      () => seen('atomic'),
      (r) => r.some((row) => row.event_id === poison.eventId),
    );
    expect(rows.filter((r) => r.event_id === poison.eventId)).toHaveLength(1);
    expect(runner.status().state).toBe('active');
  });

  it('says it is stuck while a batch holds it past its limit, and active again once it moves', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hanging: Processor = {
      name: 'hanging',
      handle: async () => {
        await held;
      },
    };
    const runner = run(hanging, 300);
    await eventually(
      () => Promise.resolve(runner.status().state),
      (s) => s === 'active',
    );
    const event = anEvent();
    await store.append(`case-${event.eventId}`, [event]);
    expect(
      await eventually(
        () => Promise.resolve(runner.status().state),
        (s) => s === 'stuck',
      ),
    ).toBe('stuck');
    release();
    expect(
      await eventually(
        () => Promise.resolve(runner.status().state),
        (s) => s === 'active',
      ),
    ).toBe('active');
  });

  it('resumes from its checkpoint after a restart without applying an event twice', async () => {
    const first = run(new SeenEventsProcessor('restart', 'first'));
    const a = anEvent();
    await store.append(`case-${a.eventId}`, [a]);
    await eventually(
      () => seen('restart'),
      (r) => r.some((row) => row.event_id === a.eventId),
    );
    await first.stop();

    const b = anEvent();
    await store.append(`case-${b.eventId}`, [b]);
    const second = run(new SeenEventsProcessor('restart', 'second'));
    const rows = await eventually(
      () => seen('restart'),
      (r) => r.some((row) => row.event_id === b.eventId),
    );
    expect(second.status().state).toBe('active');
    expect(rows.filter((r) => r.handled_by === 'second').map((r) => r.event_id)).toEqual([
      b.eventId,
    ]);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
  });

  it('keeps a second instance as a standby that takes over when the active one stops', async () => {
    const active = run(new SeenEventsProcessor('standby', 'one'));
    await eventually(
      () => active.status().state,
      (s) => s === 'active',
    );
    const standby = run(new SeenEventsProcessor('standby', 'two'));
    expect(
      await eventually(
        () => standby.status().state,
        (s) => s === 'standby',
      ),
    ).toBe('standby');

    await active.stop();
    expect(
      await eventually(
        () => standby.status().state,
        (s: ProcessorState) => s === 'active',
        5000,
      ),
    ).toBe('active');
    const event = anEvent();
    await store.append(`case-${event.eventId}`, [event]);
    const rows = await eventually(
      () => seen('standby'),
      (r) => r.some((row) => row.event_id === event.eventId),
    );
    expect(rows.find((r) => r.event_id === event.eventId)?.handled_by).toBe('two');
  });

  describe('in two processes', () => {
    const hosts: ChildProcess[] = [];
    afterAll(() => hosts.forEach((h) => h.kill('SIGKILL')));

    function host() {
      const child = spawn(
        process.execPath,
        [join(__dirname, '../../../../dist/test/support/processor-host.js')],
        {
          env: { ...process.env, DATABASE_URL: url },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      hosts.push(child);
      let state = 'starting';
      createInterface({ input: child.stdout }).on('line', (line) => {
        state = (JSON.parse(line) as { state: string }).state;
      });
      return { child, state: () => state, handledBy: `pid-${child.pid}` };
    }

    it('hands over to the standby within 5 s when the active process is killed with SIGKILL', async () => {
      const first = host();
      expect(await eventually(first.state, (s) => s === 'active')).toBe('active');
      const second = host();
      expect(await eventually(second.state, (s) => s === 'standby')).toBe('standby');

      const before = Array.from({ length: 10 }, () => anEvent({ type: 'TakeoverProbe' }));
      for (const e of before) await store.append(`case-${e.eventId}`, [e]);
      await eventually(
        () => seen('takeover'),
        (r) => r.length >= 10,
      );

      first.child.kill('SIGKILL');
      const killedAt = Date.now();
      expect(await eventually(second.state, (s) => s === 'active', 5000)).toBe('active');
      expect(Date.now() - killedAt).toBeLessThan(5000);

      const after = Array.from({ length: 10 }, () => anEvent({ type: 'TakeoverProbe' }));
      for (const e of after) await store.append(`case-${e.eventId}`, [e]);
      const rows = await eventually(
        () => seen('takeover'),
        (r) => r.length >= 20,
      );
      expect(rows.map((r) => r.event_id)).toEqual([...before, ...after].map((e) => e.eventId));
      expect(rows.slice(0, 10).every((r) => r.handled_by === first.handledBy)).toBe(true);
      expect(rows.slice(10).every((r) => r.handled_by === second.handledBy)).toBe(true);
    });
  });
});
