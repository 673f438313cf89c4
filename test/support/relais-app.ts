import { freshSecrets } from './secrets';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, RelaisConfig } from '@relais/config';
import { Clock, JsonLogger, RunningRelais, startRelais } from '@relais/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { demoAccounts, seedDemo } from '../../apps/api/src/seed/demo-seed';
import { WORKER_PROCESSORS, WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestDatabase, TestServer, testServer } from './postgres';

/** A clock the test sets; starts on a Friday in Brussels. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-11-20T10:00:00+01:00')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date): void {
    this.current = at;
  }
}

/**
 * Every line the app logs, as it would go to a collector: one JSON object per line
 * (LOG_FORMAT=json), to search for what must never be logged.
 */
export class CapturingLogger extends JsonLogger {
  readonly lines: string[];
  constructor(context: string) {
    const lines: string[] = [];
    super(context, { write: (line) => lines.push(line) });
    this.lines = lines;
  }

  /** The lines' levels and messages, parsed. */
  entries(): {
    level: string;
    message?: string;
    requestId?: string;
    correlationId?: string;
    context?: string;
  }[] {
    return this.lines.map((line) => JSON.parse(line) as { level: string });
  }
}

export interface TestRelais extends RunningRelais {
  readonly config: RelaisConfig;
  readonly clock: TestClock;
  readonly logger: CapturingLogger;
  /** Bearer token of a demo account. */
  token(email: string): Promise<string>;
  close(): Promise<void>;
}

/** The whole app in this process on a fresh database, seeded with the demo network. */
export async function startTestRelais(
  env: Record<string, string> = {},
  server: TestServer = testServer(),
): Promise<TestRelais> {
  const database = await createTestDatabase(server);
  const keyring = await mkdtemp(join(tmpdir(), 'relais-keyring-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    ...freshSecrets(keyring),
    RELAIS_SEED_DEMO: 'always',
    RELAIS_POLL_INTERVAL_MS: '100',
    PORT: '0',
    // Partners' systems in tests listen on this machine; RELAIS_WEBHOOK_ALLOW: '' refuses them.
    RELAIS_WEBHOOK_ALLOW: '127.0.0.1',
    ...env,
  });
  const clock = new TestClock();
  const logger = new CapturingLogger('relais-test');
  const running = await startRelais(config, [ApiModule, WorkerModule.forRoot(WORKER_PROCESSORS)], {
    clock,
    logger,
    // Seeded whatever RELAIS_SEED_DEMO says, as `npm run seed -- --demo` would.
    afterStart: async (app) => {
      await seedDemo(app, config, true);
    },
  });
  await eventually(async () => {
    const { rows } = await running.database.pool.query<{ n: string }>(
      'select count(*) as n from staff',
    );
    return Number(rows[0]?.n) >= demoAccounts().length;
  });
  const token = async (email: string) => {
    const response = await fetch(`${running.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: config.demoPassword }),
    });
    if (response.status !== 200) throw new Error(`No token for ${email}: ${response.status}`);
    return ((await response.json()) as { accessToken: string }).accessToken;
  };
  return {
    ...running,
    config,
    clock,
    logger,
    token,
    close: async () => {
      await running.stop();
      await database.drop();
      await rm(keyring, { recursive: true, force: true });
    },
  };
}

/**
 * A second worker process's periodic jobs beside a running Relais: the same database, keys and
 * clock, no processors (they would only stand by) and no api.
 */
export function startWorkerBeside(relais: TestRelais): Promise<RunningRelais> {
  return startRelais(relais.config, [WorkerModule.forRoot([])], {
    clock: relais.clock,
    logger: new CapturingLogger('second-worker'),
  });
}

/** Waits for a condition that read models reach a few milliseconds after a write. */
export async function eventually(
  condition: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
