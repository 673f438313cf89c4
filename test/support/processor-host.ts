// A separate process running one processor, for the takeover test: prints its state as JSON lines.
import { CommitNotifier, PostgresEventStore, ProcessorRunner } from '@relais/event-store';
import { Pool } from 'pg';
import { SeenEventsProcessor } from './seen-events.processor';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? '';
  const pool = new Pool({ connectionString: url });
  await SeenEventsProcessor.createTable(pool);
  const notifier = new CommitNotifier({ connectionString: url });
  await notifier.start();
  const runner = new ProcessorRunner(
    new SeenEventsProcessor('takeover', `pid-${process.pid}`, ['TakeoverProbe']),
    {
      connection: { connectionString: url },
      notifier,
      store: new PostgresEventStore(pool),
      pollIntervalMs: 100,
      lockRetryMs: 250,
    },
  );
  runner.start();
  let last = '';
  setInterval(() => {
    const { state } = runner.status();
    if (state !== last) process.stdout.write(`${JSON.stringify({ pid: process.pid, state })}\n`);
    last = state;
  }, 50);
}

void main();
