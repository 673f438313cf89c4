// Scenario 1: the whole app (api, worker and its embedded PostgreSQL) killed with SIGKILL at
// random moments while events are logged over HTTP, then checked against the store and a rebuild.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aCaseWithTheSaj, apiOf, demoToken } from '../../support/api';
import {
  embeddedClient,
  removeDataFolder,
  runRelaisCli,
  startRelaisProcess,
} from '../../support/relais-process';
import { checkStore, Query, StoreCheck } from './checks';
import { Acknowledged, addLoads, load, LoadOutcome, NO_LOAD, waitUntil } from './load';

export interface KillRound {
  readonly round: number;
  /** Milliseconds between the round's first 201 and the SIGKILL. */
  readonly killedAfterMs: number;
  readonly load: LoadOutcome;
}

export interface KillReport extends StoreCheck {
  readonly rounds: readonly KillRound[];
  readonly load: LoadOutcome;
  /** The compliance read model as the processor left it equals a rebuild from the events. */
  readonly complianceEqualsRebuild: boolean;
}

export const DEMO = 'as@cpas-ciney.demo';

/**
 * Starts Relais on a fresh data folder, opens cases with the SAJ, then for each round starts it,
 * logs events from eight clients and, once the first is answered 201, kills it with SIGKILL
 * 0.3–1.5 s later; last, starts it once more, lets its processors catch up and checks what every
 * 201 promised.
 */
export async function killRounds(
  rounds: number,
  log: (line: string) => void = () => undefined,
): Promise<KillReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'relais-chaos-'));
  const env = { RELAIS_DATA_DIR: dataDir, RELAIS_SEED_DEMO: 'auto' };
  try {
    let relais = startRelaisProcess(env);
    let url = await relais.listening;
    const token = await demoToken(apiOf({ url }), DEMO);
    const call = apiOf({ url });
    const caseIds: string[] = [];
    for (let i = 0; i < 4; i++) caseIds.push(await aCaseWithTheSaj(call, token));
    relais.child.kill('SIGTERM');
    await relais.exited;

    const done: KillRound[] = [];
    const acknowledged: Acknowledged[] = [];
    for (let round = 1; round <= rounds; round++) {
      relais = startRelaisProcess(env);
      url = await relais.listening;
      const stop = { stopped: false };
      const target = url;
      let served = false;
      const running = load(() => [target], token, caseIds, stop, {
        onAnswer: (status) => (served ||= status === 201),
      });
      // Armed once the app answers 201: a kill while it is still starting would test little.
      await waitUntil(() => Promise.resolve(served), 30_000, `round ${round}'s first 201`);
      const killedAfterMs = 300 + Math.floor(Math.random() * 1200);
      await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
      relais.child.kill('SIGKILL');
      await relais.exited;
      stop.stopped = true;
      const outcome = await running;
      acknowledged.push(...outcome.acknowledged);
      done.push({ round, killedAfterMs, load: outcome });
      log(
        `round ${round}: killed ${killedAfterMs} ms after its first 201, ${outcome.acknowledged.length} × 201`,
      );
    }

    relais = startRelaisProcess(env);
    url = await relais.listening;
    const db = await embeddedClient(dataDir);
    const query: Query = async <R extends object>(sql: string, values?: unknown[]) =>
      (await db.query<R>(sql, values)).rows;
    try {
      const check = await checkStore(
        query,
        url,
        await demoToken(apiOf({ url }), DEMO),
        caseIds,
        acknowledged,
      );
      const compliance = async () =>
        (
          await query<{ digest: string }>(
            `select md5(coalesce(string_agg(t::text, ',' order by t.obligation_id), '')) as digest
             from compliance_obligations t`,
          )
        )[0]?.digest;
      const live = await compliance();
      const rebuilt = await runRelaisCli(['projections', 'rebuild', 'compliance'], env);
      if (rebuilt.code !== 0) throw new Error(`rebuild failed: ${rebuilt.stderr}`);
      return {
        ...check,
        rounds: done,
        load: done.map((r) => r.load).reduce(addLoads, NO_LOAD),
        complianceEqualsRebuild: live === (await compliance()),
      };
    } finally {
      await db.end();
      relais.child.kill('SIGTERM');
      await relais.exited;
    }
  } finally {
    await removeDataFolder(dataDir);
  }
}
