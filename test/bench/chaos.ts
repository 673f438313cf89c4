// `npm run chaos`: fault injection on real processes and the embedded PostgreSQL, loopback only.
// Scenario 1 of issue 13: the whole app killed with SIGKILL at random moments while events are
// logged over HTTP, then checked against the store and a fresh rebuild.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aCaseWithTheSaj, apiOf } from '../support/api';
import {
  embeddedClient,
  isAlive,
  killRelaisProcesses,
  postmaster,
  runRelaisCli,
  startRelaisProcess,
} from '../support/relais-process';
import { formatTable, writeResults } from './support';

export interface KillRound {
  readonly round: number;
  /** Milliseconds of load before the SIGKILL. */
  readonly killedAfterMs: number;
  readonly answered201: number;
  readonly failed: number;
}

export interface KillReport {
  readonly rounds: readonly KillRound[];
  /** Events answered 201 over every round. */
  readonly acknowledged: number;
  /** Of those, missing from the store or from their case's timeline. */
  readonly lost: number;
  /** Obligations opened more than once for one event and recipient. */
  readonly duplicatedObligations: number;
  /** Case events in the store whose obligation was never opened. */
  readonly missingObligations: number;
  readonly obligationsOpened: number;
  readonly inboxRows: number;
  /** The compliance read model as the processor left it equals a rebuild from the events. */
  readonly complianceEqualsRebuild: boolean;
}

const DEMO = 'as@cpas-ciney.demo';
const CLIENTS = 8;

async function tokenFor(url: string, email: string): Promise<string> {
  const answer = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: process.env.RELAIS_DEMO_PASSWORD ?? 'relais-demo' }),
  });
  if (answer.status !== 200) throw new Error(`no token for ${email}: ${answer.status}`);
  return ((await answer.json()) as { accessToken: string }).accessToken;
}

/** Logs RIS suppressions from `CLIENTS` clients until `stop`; returns what was answered 201. */
async function load(
  url: string,
  token: string,
  caseIds: readonly string[],
  stop: { stopped: boolean },
): Promise<{ acknowledged: { caseId: string; eventIds: string[] }[]; failed: number }> {
  const acknowledged: { caseId: string; eventIds: string[] }[] = [];
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (!stop.stopped) {
        const caseId = caseIds[next++ % caseIds.length] as string;
        try {
          const answer = await fetch(`${url}/api/v1/cases/${caseId}/events`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': randomUUID(),
            },
            body: JSON.stringify({
              type: 'RisSuppressed',
              occurredOn: '2026-11-20',
              reason: 'other',
              effectiveOn: '2026-11-20',
            }),
          });
          const body = (await answer.json()) as { eventIds?: string[] };
          if (answer.status === 201) acknowledged.push({ caseId, eventIds: body.eventIds ?? [] });
          else failed++;
        } catch {
          failed++; // the process died under the request: not acknowledged, so not owed
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }),
  );
  return { acknowledged, failed };
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts Relais on a fresh data folder, opens cases with the SAJ, then for each round starts it,
 * logs events from eight clients and kills it with SIGKILL after 0.3–1.5 s; last, starts it once
 * more, lets its processors catch up and checks what every 201 promised.
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
    const token = await tokenFor(url, DEMO);
    const call = apiOf({ url });
    const caseIds: string[] = [];
    for (let i = 0; i < 4; i++) caseIds.push(await aCaseWithTheSaj(call, token));
    relais.child.kill('SIGTERM');
    await relais.exited;

    const done: KillRound[] = [];
    const acknowledged: { caseId: string; eventIds: string[] }[] = [];
    for (let round = 1; round <= rounds; round++) {
      relais = startRelaisProcess(env);
      url = await relais.listening;
      const stop = { stopped: false };
      const running = load(url, token, caseIds, stop);
      const killedAfterMs = 300 + Math.floor(Math.random() * 1200);
      await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
      relais.child.kill('SIGKILL');
      await relais.exited;
      stop.stopped = true;
      const outcome = await running;
      acknowledged.push(...outcome.acknowledged);
      done.push({
        round,
        killedAfterMs,
        answered201: outcome.acknowledged.length,
        failed: outcome.failed,
      });
      log(`round ${round}: killed after ${killedAfterMs} ms, ${outcome.acknowledged.length} × 201`);
    }

    relais = startRelaisProcess(env);
    url = await relais.listening;
    const db = await embeddedClient(dataDir);
    try {
      await waitUntil(async () => {
        const { rows } = await db.query<{ behind: string }>(
          `select count(*)::text as behind from processor_checkpoints
           where global_position < (select coalesce(max(global_position), 0) from events)`,
        );
        return rows[0]?.behind === '0';
      }, 60_000);
      const ids = acknowledged.flatMap((a) => a.eventIds);
      const stored = await db.query<{ n: string }>(
        'select count(*)::text as n from events where event_id = any($1::uuid[])',
        [ids],
      );
      const timeline = new Set<string>();
      const reader = await tokenFor(url, DEMO);
      for (const caseId of caseIds) {
        const answer = await fetch(`${url}/api/v1/cases/${caseId}/timeline`, {
          headers: { authorization: `Bearer ${reader}` },
        });
        for (const e of (await answer.json()) as { eventId: string }[]) timeline.add(e.eventId);
      }
      const lost =
        ids.length - Number(stored.rows[0]?.n) + ids.filter((id) => !timeline.has(id)).length;
      const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
      const duplicatedObligations = await count(
        `select count(*)::text as n from (
           select 1 from events where type = 'ObligationOpened'
           group by data ->> 'eventId', data ->> 'recipientOrganisationId' having count(*) > 1) d`,
      );
      const missingObligations = await count(
        `select count(*)::text as n from events e where e.type = 'RisSuppressed'
           and not exists (select from events o where o.type = 'ObligationOpened'
                           and o.data ->> 'eventId' = e.event_id::text)`,
      );
      const obligationsOpened = await count(
        "select count(*)::text as n from events where type = 'ObligationOpened'",
      );
      const inboxRows = await count('select count(*)::text as n from inbox');
      const compliance = async () =>
        (
          await db.query<{ digest: string }>(
            `select md5(coalesce(string_agg(t::text, ',' order by t.obligation_id), '')) as digest
             from compliance_obligations t`,
          )
        ).rows[0]?.digest;
      const live = await compliance();
      const rebuilt = await runRelaisCli(['projections', 'rebuild', 'compliance'], env);
      if (rebuilt.code !== 0) throw new Error(`rebuild failed: ${rebuilt.stderr}`);
      const complianceEqualsRebuild = live === (await compliance());
      return {
        rounds: done,
        acknowledged: ids.length,
        lost,
        duplicatedObligations,
        missingObligations,
        obligationsOpened,
        inboxRows,
        complianceEqualsRebuild,
      };
    } finally {
      await db.end();
      relais.child.kill('SIGTERM');
      await relais.exited;
    }
  } finally {
    killRelaisProcesses();
    const left = await postmaster(join(dataDir, 'pg'));
    if (left && isAlive(left.pid)) process.kill(left.pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    await rm(`${dataDir}-keys`, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const rounds = Number(process.env.CHAOS_ROUNDS ?? 10);
  const report = await killRounds(rounds, (line) => console.log(line));
  console.log(
    formatTable(
      ['round', 'killed after ms', '201', 'failed'],
      report.rounds.map((r) => [
        String(r.round),
        String(r.killedAfterMs),
        String(r.answered201),
        String(r.failed),
      ]),
    ),
  );
  console.log(
    formatTable(
      [
        'acknowledged',
        'lost',
        'obligations',
        'duplicated',
        'missing',
        'inbox',
        'compliance = rebuild',
      ],
      [
        [
          String(report.acknowledged),
          String(report.lost),
          String(report.obligationsOpened),
          String(report.duplicatedObligations),
          String(report.missingObligations),
          String(report.inboxRows),
          report.complianceEqualsRebuild ? 'yes' : 'NO',
        ],
      ],
    ),
  );
  console.log(`results: ${await writeResults('chaos', startedAt, report)}`);
  const clean =
    report.lost === 0 &&
    report.duplicatedObligations === 0 &&
    report.missingObligations === 0 &&
    report.inboxRows === report.obligationsOpened &&
    report.complianceEqualsRebuild;
  process.exitCode = clean ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
