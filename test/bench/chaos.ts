// `npm run chaos`: fault injection on real processes and a real PostgreSQL, loopback only, each
// scenario bounded in time (issue 13). `npm run chaos -- 2 4` (or CHAOS_SCENARIOS=2,4) runs some.
//   1. the whole app killed with SIGKILL at random moments under load (CHAOS_ROUNDS rounds, 10)
//   2. two api and two worker processes, the active worker killed (CHAOS_KILLS times, 2)
//   3. PostgreSQL stopped and started again under load
//   4. the SMTP and webhook receivers down, slow, failing, then back, under load
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { clean, StoreCheck } from './chaos/checks';
import type { DeliveryCount } from './chaos/deliveries';
import { killRounds } from './chaos/kill-app';
import type { LoadOutcome } from './chaos/load';
import { databaseRestart } from './chaos/database-restart';
import { receiverFaults } from './chaos/receiver-faults';
import { TAKEOVER_WITHIN_MS, takeoverRounds } from './chaos/takeover';
import { formatTable, writeResults } from './support';

export { killRounds } from './chaos/kill-app';
export { takeoverRounds, TAKEOVER_WITHIN_MS } from './chaos/takeover';
export { databaseRestart } from './chaos/database-restart';
export { receiverFaults } from './chaos/receiver-faults';

/** One line of the table: a round, or a scenario's totals. */
export interface ChaosRow {
  readonly scenario: string;
  readonly round: string;
  readonly server: string;
  readonly answered201: number;
  readonly lost: number | null;
  readonly duplicated: number | null;
  readonly takeoverMs: number | null;
  readonly unavailable503: number;
  readonly otherServerErrors: number;
  /** Refused or reset connections (a killed process) and requests past the bound. */
  readonly noAnswer: number;
  readonly hung: number;
  readonly deliveries: {
    readonly expected: number;
    readonly received: number;
    readonly duplicated: number;
    readonly missing: number;
  } | null;
  /** What this line must show: nothing lost, doubled, missing, no 500 or hang, takeover in time. */
  readonly ok: boolean;
}

function loadColumns(load: LoadOutcome) {
  return {
    answered201: load.acknowledged.reduce((n, a) => n + a.eventIds.length, 0),
    unavailable503: load.unavailable,
    otherServerErrors: load.otherServerErrors + load.unavailableMalformed,
    noAnswer: load.noAnswer,
    hung: load.hung,
  };
}

function sum(...counts: DeliveryCount[]): ChaosRow['deliveries'] {
  return counts.reduce(
    (a, b) => ({
      expected: a.expected + b.expected,
      received: a.received + b.received,
      duplicated: a.duplicated + b.duplicated,
      missing: a.missing + b.missing,
    }),
    { expected: 0, received: 0, duplicated: 0, missing: 0 },
  );
}

/** A lost event or a missing obligation is a loss; an obligation opened twice, a duplicate. */
const storeColumns = (check: StoreCheck) => ({
  lost: check.lost + check.missingObligations,
  duplicated: check.duplicatedObligations,
});

const noFault = (load: LoadOutcome) =>
  load.otherServerErrors === 0 && load.unavailableMalformed === 0 && load.hung === 0;

async function scenario1(rounds: number, log: (line: string) => void): Promise<ChaosRow[]> {
  const report = await killRounds(rounds, log);
  const perRound = report.rounds.map((r): ChaosRow => ({
    scenario: '1 app killed',
    round: String(r.round),
    server: 'embedded',
    ...loadColumns(r.load),
    lost: null,
    duplicated: null,
    takeoverMs: null,
    deliveries: null,
    ok: noFault(r.load),
  }));
  return [
    ...perRound,
    {
      scenario: '1 app killed',
      round: 'all',
      server: 'embedded',
      ...loadColumns(report.load),
      ...storeColumns(report),
      takeoverMs: null,
      deliveries: null,
      ok:
        clean(report) &&
        report.complianceEqualsRebuild &&
        perRound.every((r) => r.ok) &&
        report.acknowledged > 0,
    },
  ];
}

async function scenario2(kills: number, log: (line: string) => void): Promise<ChaosRow[]> {
  const report = await takeoverRounds(kills, log);
  const inTime = (ms: number | null) => ms !== null && ms <= TAKEOVER_WITHIN_MS;
  return [
    ...report.kills.map((k): ChaosRow => ({
      scenario: '2 worker killed',
      round: String(k.kill),
      server: report.server,
      answered201: 0,
      unavailable503: 0,
      otherServerErrors: 0,
      noAnswer: 0,
      hung: 0,
      lost: null,
      duplicated: null,
      takeoverMs: k.takeoverMs,
      deliveries: null,
      ok: inTime(k.takeoverMs),
    })),
    {
      scenario: '2 worker killed',
      round: 'all',
      server: report.server,
      ...loadColumns(report.load),
      ...storeColumns(report),
      takeoverMs: Math.max(...report.kills.map((k) => k.takeoverMs ?? Infinity)),
      deliveries: sum(report.emails),
      ok:
        clean(report) &&
        noFault(report.load) &&
        report.kills.every((k) => inTime(k.takeoverMs)) &&
        report.emails.duplicated === report.emailsResentAfterKill &&
        report.emails.missing === 0,
    },
  ];
}

async function scenario3(log: (line: string) => void): Promise<ChaosRow[]> {
  const report = await databaseRestart(log);
  return [
    {
      scenario: '3 PostgreSQL restarted',
      round: 'all',
      server: 'embedded',
      ...loadColumns(report.load),
      ...storeColumns(report),
      takeoverMs: report.recoveredAfterMs,
      deliveries: null,
      ok:
        clean(report) &&
        noFault(report.load) &&
        report.load.unavailable > 0 &&
        report.recoveredAfterMs !== null,
    },
  ];
}

async function scenario4(log: (line: string) => void): Promise<ChaosRow[]> {
  const report = await receiverFaults(log);
  const deliveries = sum(report.emails, report.webhooks);
  return [
    {
      scenario: '4 receivers down/slow/failing',
      round: 'all',
      server: report.server,
      ...loadColumns(report.load),
      ...storeColumns(report),
      takeoverMs: null,
      deliveries,
      ok:
        clean(report) &&
        noFault(report.load) &&
        deliveries !== null &&
        deliveries.duplicated === 0 &&
        deliveries.missing === 0 &&
        deliveries.expected > 0,
    },
  ];
}

const SCENARIOS = ['1', '2', '3', '4'] as const;

/** The scenarios asked for: the command's arguments, else CHAOS_SCENARIOS, else all four. */
export function chosenScenarios(args: readonly string[], env: string | undefined): string[] {
  const asked = (args.length ? args : (env ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
  const unknown = asked.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`Unknown chaos scenario ${unknown.join(', ')}: 1 to 4`);
  return asked.length ? asked : [...SCENARIOS];
}

const cell = (n: number | null) => (n === null ? '-' : n.toLocaleString('en-US'));

export function chaosTable(rows: readonly ChaosRow[]): string {
  return formatTable(
    [
      'scenario',
      'round',
      'server',
      '201',
      'lost',
      'duplicated',
      'takeover ms',
      '503',
      '5xx other',
      'no answer (hung)',
      'deliveries expected/received/dup',
      'ok',
    ],
    rows.map((r) => [
      r.scenario,
      r.round,
      r.server,
      cell(r.answered201),
      cell(r.lost),
      cell(r.duplicated),
      cell(r.takeoverMs),
      cell(r.unavailable503),
      cell(r.otherServerErrors),
      `${cell(r.noAnswer)} (${r.hung})`,
      r.deliveries
        ? `${cell(r.deliveries.expected)}/${cell(r.deliveries.received)}/${cell(r.deliveries.duplicated)}`
        : '-',
      r.ok ? 'yes' : 'NO',
    ]),
  );
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const log = (line: string) => console.log(line);
  const rows: ChaosRow[] = [];
  const run: Record<string, () => Promise<ChaosRow[]>> = {
    '1': () => scenario1(Number(process.env.CHAOS_ROUNDS ?? 10), log),
    '2': () => scenario2(Number(process.env.CHAOS_KILLS ?? 2), log),
    '3': () => scenario3(log),
    '4': () => scenario4(log),
  };
  const failures: string[] = [];
  for (const scenario of chosenScenarios(process.argv.slice(2), process.env.CHAOS_SCENARIOS)) {
    log(`scenario ${scenario}`);
    try {
      rows.push(...(await (run[scenario] as () => Promise<ChaosRow[]>)()));
    } catch (error) {
      // A scenario that could not finish is a failure; the others still run and are reported.
      log(`scenario ${scenario} failed: ${(error as Error).message}`);
      failures.push(`${scenario}: ${(error as Error).message}`);
    }
  }
  const table = [chaosTable(rows), ...failures.map((f) => `scenario ${f}`)].join('\n');
  console.log(table);
  const file = await writeResults('chaos', startedAt, { rows, failures });
  // The table as printed, beside the JSON: what a reader of the results folder looks at first.
  await writeFile(file.replace(/\.json$/, '.txt'), `${table}\n`);
  await writeFile(join(dirname(file), 'chaos-latest.txt'), `${table}\n`);
  console.log(`results: ${file}`);
  process.exitCode = failures.length === 0 && rows.every((r) => r.ok) ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
