// A child process of the store benchmark, so that its peak RSS is the reader's own; the parent
// imports its types only. Usage: DATABASE_URL=... node catch-up.js read-all|processor <events>
import { Pool } from 'pg';
import {
  Checkpoint,
  CommitNotifier,
  PostgresEventStore,
  ProcessorRunner,
  RecordedEvent,
  START,
} from '@relais/event-store';

export type CatchUpMode = 'read-all' | 'processor';

export interface CatchUpResult {
  readonly mode: CatchUpMode;
  readonly expected: number;
  /** Events handed over, counting repeats. */
  readonly received: number;
  /** Different events handed over: `expected` when none was skipped. */
  readonly distinct: number;
  /** Until the last event was handed over. */
  readonly seconds: number;
  /** False when the reader was stopped at `limitSeconds` before it caught up. */
  readonly finished: boolean;
  readonly limitSeconds: number;
  /** `process.resourceUsage().maxRSS`: the peak resident set of this process, in KiB. */
  readonly maxRssKiB: number;
}

const READ_ALL_PAGE = 1000;
/** Six times what the target allows for 1,000,000 events: a reader this slow has failed anyway. */
const LIMIT_SECONDS = 60;
/** Every event is committed before the reader starts, so a processor this long without new events has caught up. */
const QUIET_MS = 3000;

/** Counts what a reader is handed, and which events, in 1 byte per global position. */
class Tally {
  received = 0;
  distinct = 0;
  lastAt = performance.now();
  private readonly seen: Uint8Array;

  constructor(maxGlobalPosition: number) {
    this.seen = new Uint8Array(maxGlobalPosition + 1);
  }

  add(events: readonly RecordedEvent[]): void {
    for (const { globalPosition } of events) {
      this.distinct += this.seen[globalPosition] === 0 ? 1 : 0;
      this.seen[globalPosition] = 1;
    }
    this.received += events.length;
    this.lastAt = performance.now();
  }
}

async function main(): Promise<void> {
  const [mode, expected] = [process.argv[2], Number(process.argv[3])];
  const url = process.env.DATABASE_URL;
  if (!url || !isMode(mode) || !Number.isInteger(expected)) {
    throw new Error('Usage: DATABASE_URL=... node catch-up.js read-all|processor <events>');
  }
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const { rows } = await pool.query<{ max: string | null }>(
      'select max(global_position) as max from events',
    );
    const tally = new Tally(Number(rows[0]?.max ?? 0));
    const store = new PostgresEventStore(pool);
    const started = performance.now();
    const deadline = started + LIMIT_SECONDS * 1000;
    const finished =
      mode === 'read-all'
        ? await readAll(store, tally, deadline)
        : await runProcessor(url, store, tally, expected, deadline);
    const result: CatchUpResult = {
      mode,
      expected,
      received: tally.received,
      distinct: tally.distinct,
      seconds: (tally.lastAt - started) / 1000,
      finished,
      limitSeconds: LIMIT_SECONDS,
      maxRssKiB: process.resourceUsage().maxRSS,
    };
    console.log(JSON.stringify(result));
  } finally {
    await pool.end();
  }
}

function isMode(mode: string | undefined): mode is CatchUpMode {
  return mode === 'read-all' || mode === 'processor';
}

async function readAll(
  store: PostgresEventStore,
  tally: Tally,
  deadline: number,
): Promise<boolean> {
  let after: Checkpoint = START;
  while (performance.now() < deadline) {
    const page = await store.readAll({ after, maxCount: READ_ALL_PAGE });
    if (page.events.length === 0) return true;
    tally.add(page.events);
    after = page.checkpoint;
  }
  return false;
}

async function runProcessor(
  url: string,
  store: PostgresEventStore,
  tally: Tally,
  expected: number,
  deadline: number,
): Promise<boolean> {
  const notifier = new CommitNotifier({ connectionString: url });
  await notifier.start();
  const runner = new ProcessorRunner(
    {
      name: 'bench-catch-up',
      handle: (events) => {
        tally.add(events);
        return Promise.resolve();
      },
    },
    { connection: { connectionString: url }, notifier, store },
  );
  runner.start();
  try {
    // Polling only decides when to stop: the time taken is `tally.lastAt`.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { state, lastError } = runner.status();
      if (state === 'failing') throw new Error(`The processor failed: ${lastError}`);
      if (tally.distinct >= expected || performance.now() - tally.lastAt > QUIET_MS) return true;
      if (performance.now() > deadline) return false;
    }
  } finally {
    await runner.stop();
    await notifier.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
