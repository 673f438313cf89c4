// Scenario 3: PostgreSQL stopped (a fast shutdown, as `pg_ctl stop` does) under load and started
// again on its port: meanwhile clients get 503 problem+json, never a 500 or a hang; the api and
// worker processes recover by themselves, and nothing answered 201 is lost.
import type { StoreCheck } from './checks';
import { startDeployment } from './deployment';
import { load, LoadOutcome, waitUntil } from './load';

export interface RestartReport extends StoreCheck {
  readonly load: LoadOutcome;
  readonly downMs: number;
  /** From PostgreSQL's start to the first 201 after it. Null: none within 30 s. */
  readonly recoveredAfterMs: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request with no answer after this long is a hang (the runner abandons it). */
export const ANSWER_WITHIN_MS = 10_000;

/**
 * One api and one worker process on the runner's own embedded server; eight clients log events;
 * after 1.5 s PostgreSQL stops for `downMs`, then starts again; the load goes on until a 201
 * comes back and two seconds more, then the store is checked once the processors caught up.
 */
export async function databaseRestart(
  log: (line: string) => void = () => undefined,
  downMs = 4000,
): Promise<RestartReport> {
  const deployment = await startDeployment({ apis: 1, workers: 1, embedded: true });
  try {
    const stop = { stopped: false };
    let restartedAt: number | undefined;
    let recoveredAt: number | undefined;
    const running = load(() => deployment.apiUrls, deployment.token, deployment.caseIds, stop, {
      boundMs: ANSWER_WITHIN_MS,
      onAnswer: (status) => {
        if (status === 201 && restartedAt !== undefined) recoveredAt ??= performance.now();
      },
    });
    try {
      await sleep(1500);
      await deployment.stopPostgres();
      log(`PostgreSQL stopped for ${downMs} ms`);
      await sleep(downMs);
      await deployment.startPostgres();
      restartedAt = performance.now();
      await waitUntil(() => Promise.resolve(recoveredAt !== undefined), 30_000, 'a 201 again');
      log(`a 201 again ${Math.round((recoveredAt as number) - restartedAt)} ms after the start`);
      await sleep(2000);
    } finally {
      stop.stopped = true;
    }
    const outcome = await running;
    const check = await deployment.check(outcome.acknowledged);
    return {
      ...check,
      load: outcome,
      downMs,
      recoveredAfterMs:
        recoveredAt === undefined || restartedAt === undefined
          ? null
          : Math.round(recoveredAt - restartedAt),
    };
  } finally {
    await deployment.close();
  }
}
