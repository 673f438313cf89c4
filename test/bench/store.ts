import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { migrate } from '@relais/database';
import {
  CommitNotifier,
  EventMetadata,
  eventStoreMigrations,
  NewEvent,
  PostgresEventStore,
} from '@relais/event-store';
import type { CatchUpMode, CatchUpResult } from './catch-up';
import {
  benchScale,
  BenchDatabase,
  formatNumber,
  formatRatio,
  formatTable,
  runScript,
  withBenchDatabase,
  writeResults,
} from './support';

interface Workload {
  readonly name: string;
  readonly concurrency: number;
  readonly eventsPerAppend: number;
  /** Per system at BENCH_SCALE=1. */
  readonly events: number;
  /** The least share of the raw baseline that Relais must reach. */
  readonly target: number;
}

// Event counts keep the whole run under ~5 minutes on 2 cores.
const SINGLE = { eventsPerAppend: 1, events: 20_000, target: 0.7 };
const BATCHES = { eventsPerAppend: 100, events: 100_000, target: 0.85 };
const WORKLOADS: readonly Workload[] = [
  { name: 'single events, 1 writer', concurrency: 1, ...SINGLE },
  { name: 'single events, 8 writers', concurrency: 8, ...SINGLE },
  { name: 'single events, 32 writers', concurrency: 32, ...SINGLE },
  { name: 'batches of 100, 1 writer', concurrency: 1, ...BATCHES },
  { name: 'batches of 100, 8 writers', concurrency: 8, ...BATCHES },
];

const SYSTEMS = ['raw', 'relais', 'emmett'] as const;
type System = (typeof SYSTEMS)[number];

/** A case's life: a handful of commands, each appending to the case's stream at its exact version. */
const APPENDS_PER_STREAM = 10;
/**
 * The systems take turns, round by round, so that drift on the server (checkpoints, autovacuum,
 * growing tables) and noise from neighbours on the machine hit all of them alike.
 */
const ROUNDS = 3;
const WARM_UP_SHARE = 0.1;
const CATCH_UP_EVENTS = 1_000_000;
/** Rows per transaction when filling the store for the catch-up: as many as one large append writes. */
const FILL_STREAMS_PER_TRANSACTION = 100;
const CATCH_UP_RATE_TARGET = 100_000;
const CATCH_UP_RSS_TARGET_MIB = 256;

const EVENT_TYPES = [
  'CaseOpened',
  'ReferralSent',
  'ReferralAccepted',
  'AppointmentPlanned',
  'CaseNoteAdded',
];
const NOTE =
  'La famille signale trois mois de retard de loyer ; contact en cours avec le propriétaire. ' +
  'Orientation vers le service logement demandée, consentement au partage d’informations ' +
  'signé à l’accueil du CPAS.';

interface BenchEvent extends NewEvent<string, Record<string, unknown>> {
  readonly metadata: EventMetadata;
}

interface Stream {
  readonly id: string;
  /** One entry per append, as one command would make it. */
  readonly appends: readonly (readonly BenchEvent[])[];
}

type Append = (
  streamId: string,
  version: number,
  events: readonly BenchEvent[],
) => Promise<unknown>;

type Measurement =
  | { readonly eventsPerSecond: number; readonly roundsPerSecond: readonly number[] }
  | { readonly unavailable: string };

interface AppendRow {
  readonly name: string;
  readonly concurrency: number;
  readonly eventsPerAppend: number;
  readonly eventsPerSystem: number;
  readonly raw: Measurement;
  readonly relais: Measurement;
  readonly emmett: Measurement;
  readonly relaisVsRaw: number | null;
  readonly relaisVsEmmett: number | null;
  readonly target: string;
  readonly met: boolean;
}

interface CatchUpRow {
  readonly name: string;
  /** In the store. */
  readonly events: number;
  readonly received: number;
  readonly distinct: number;
  readonly seconds: number;
  readonly finished: boolean;
  /** Different events read per second. */
  readonly eventsPerSecond: number;
  readonly peakRssMiB: number;
  /** Events skipped or read twice, or the time limit hit. */
  readonly problem: string | null;
  readonly target: string;
  readonly met: boolean;
}

export async function runStoreBench(): Promise<void> {
  const startedAt = new Date();
  const scale = benchScale();
  await withBenchDatabase(async (db) => {
    const admin = new Pool({ connectionString: db.url, max: 2 });
    try {
      const serverVersion = await prepareSchema(db, admin);
      const appendRows: AppendRow[] = [];
      for (const workload of WORKLOADS) {
        const row = await measureWorkload(db.url, workload, Math.round(workload.events * scale));
        console.log(progressLine(row));
        appendRows.push(row);
      }
      const catchUpRows = await measureCatchUp(db.url, admin, Math.round(CATCH_UP_EVENTS * scale));
      printTable(appendRows, catchUpRows);
      const file = await writeResults('store', startedAt, {
        bench: 'store',
        startedAt: startedAt.toISOString(),
        seconds: (Date.now() - startedAt.getTime()) / 1000,
        scale,
        environment: {
          node: process.version,
          cpus: cpus().length,
          postgres: serverVersion,
          server: db.server,
        },
        method: {
          rounds: ROUNDS,
          warmUpShare: WARM_UP_SHARE,
          appendsPerStream: APPENDS_PER_STREAM,
        },
        appends: appendRows,
        catchUp: catchUpRows,
      });
      console.log(`\nResults: ${file}`);
    } finally {
      await admin.end();
    }
  });
}

/** Relais's schema, a raw table of the same shape and indexes, and Emmett's own tables. */
async function prepareSchema(db: BenchDatabase, admin: Pool): Promise<string> {
  await migrate(admin, eventStoreMigrations);
  await admin.query('create table bench_raw_events (like events including all)');
  const emmett = getPostgreSQLEventStore(db.url);
  try {
    await emmett.schema.migrate();
  } finally {
    await emmett.close();
  }
  const { rows } = await admin.query<{ server_version: string }>('show server_version');
  return rows[0]?.server_version ?? 'unknown';
}

/**
 * The three systems share one pool sized to the workload's writers and append the same events
 * (same stream ids, event ids, payloads), each to its own tables. Emmett's driver sets pg's int8
 * and jsonb parsers process-wide, so Relais parses its two result columns with them as well: a
 * cost of nanoseconds per append, which is why it is not worth a process of its own.
 */
async function measureWorkload(
  url: string,
  workload: Workload,
  events: number,
): Promise<AppendRow> {
  const pool = new Pool({ connectionString: url, max: workload.concurrency });
  // Relais appends as the app does: each commit followed by the process's coalesced NOTIFY.
  const notifier = new CommitNotifier({ connectionString: url });
  await notifier.start();
  const appenders = createAppenders(url, pool, notifier);
  const failures = new Map<System, string>();
  const rounds = new Map<System, { events: number; ms: number }[]>(SYSTEMS.map((s) => [s, []]));
  let eventsPerSystem = 0;
  const run = async (system: System, streams: readonly Stream[]) => {
    if (failures.has(system)) return undefined;
    try {
      return await drive(appenders[system], streams, workload.concurrency);
    } catch (error) {
      failures.set(system, (error as Error).message);
      return undefined;
    }
  };
  try {
    const warmUp = generateStreams(events * WARM_UP_SHARE, workload.eventsPerAppend);
    for (const system of SYSTEMS) await run(system, warmUp);
    for (let round = 0; round < ROUNDS; round++) {
      const streams = generateStreams(events / ROUNDS, workload.eventsPerAppend);
      const count = streams.length * APPENDS_PER_STREAM * workload.eventsPerAppend;
      eventsPerSystem += count;
      for (const system of rotate(SYSTEMS, round)) {
        const ms = await run(system, streams);
        if (ms !== undefined) rounds.get(system)?.push({ events: count, ms });
      }
    }
  } finally {
    await notifier.stop();
    await pool.end();
  }
  const measure = (system: System): Measurement => {
    const failure = failures.get(system);
    if (failure !== undefined) return { unavailable: failure };
    const done = rounds.get(system) ?? [];
    const total = done.reduce((sum, r) => ({ events: sum.events + r.events, ms: sum.ms + r.ms }), {
      events: 0,
      ms: 0,
    });
    return {
      eventsPerSecond: (total.events * 1000) / total.ms,
      roundsPerSecond: done.map((r) => Math.round((r.events * 1000) / r.ms)),
    };
  };
  const [raw, relais, emmett] = [measure('raw'), measure('relais'), measure('emmett')];
  const relaisVsRaw = ratio(relais, raw);
  const relaisVsEmmett = ratio(relais, emmett);
  return {
    name: workload.name,
    concurrency: workload.concurrency,
    eventsPerAppend: workload.eventsPerAppend,
    eventsPerSystem,
    raw,
    relais,
    emmett,
    relaisVsRaw,
    relaisVsEmmett,
    target: `≥${formatRatio(workload.target)} of raw, ahead of Emmett`,
    // Where Emmett cannot run a row there is nothing to be ahead of; the table says why.
    met:
      relaisVsRaw !== null &&
      relaisVsRaw >= workload.target &&
      ('unavailable' in emmett || (relaisVsEmmett !== null && relaisVsEmmett > 1)),
  };
}

function createAppenders(
  url: string,
  pool: Pool,
  notifier: CommitNotifier,
): Record<System, Append> {
  const relais = new PostgresEventStore(pool, { afterAppend: () => notifier.signal() });
  const emmett = getPostgreSQLEventStore(url, {
    connectionOptions: { pool },
    schema: { autoMigration: 'None' },
  });
  return {
    // One autocommit INSERT per append, prepared once per connection like Relais's statement.
    raw: (streamId, version, events) =>
      pool.query({
        name: `bench_raw_insert_${events.length}`,
        text: rawInsert(events.length),
        values: events.flatMap((e, i) => [
          streamId,
          version + i + 1,
          e.eventId,
          e.type,
          JSON.stringify(e.data),
          JSON.stringify(e.metadata),
        ]),
      }),
    relais: (streamId, version, events) =>
      relais.append(streamId, events, { expectedVersion: version }),
    emmett: (streamId, version, events) =>
      emmett.appendToStream(
        streamId,
        events.map((e) => ({
          type: e.type,
          data: e.data,
          metadata: { messageId: e.eventId, ...e.metadata },
        })),
        { expectedStreamVersion: BigInt(version) },
      ),
  };
}

const rawInserts = new Map<number, string>();

function rawInsert(rows: number): string {
  let text = rawInserts.get(rows);
  if (text === undefined) {
    const values = Array.from({ length: rows }, (_, r) => {
      const p = r * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
    });
    text = `insert into bench_raw_events (stream_id, stream_position, event_id, type, data, metadata)
      values ${values.join(', ')}`;
    rawInserts.set(rows, text);
  }
  return text;
}

/** Each writer takes the next stream and appends to it, one command at a time; returns the milliseconds. */
async function drive(append: Append, streams: readonly Stream[], writers: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let stream = streams[next++]; stream; stream = streams[next++]) {
        let version = 0;
        for (const events of stream.appends) {
          await append(stream.id, version, events);
          version += events.length;
        }
      }
    }),
  );
  return performance.now() - started;
}

function generateStreams(events: number, eventsPerAppend: number): Stream[] {
  const perStream = APPENDS_PER_STREAM * eventsPerAppend;
  return Array.from({ length: Math.max(1, Math.round(events / perStream)) }, () => {
    const id = `case-${randomUUID()}`;
    const correlationId = randomUUID();
    return {
      id,
      appends: Array.from({ length: APPENDS_PER_STREAM }, (_, a) =>
        Array.from({ length: eventsPerAppend }, (_, e) =>
          caseEvent(id, a * eventsPerAppend + e + 1, correlationId),
        ),
      ),
    };
  });
}

/** About 600 bytes of JSON, like a referral event with a short free-text note. */
function caseEvent(caseId: string, sequence: number, correlationId: string): BenchEvent {
  return {
    eventId: randomUUID(),
    type: EVENT_TYPES[sequence % EVENT_TYPES.length] ?? 'CaseNoteAdded',
    data: {
      caseId,
      sequence,
      fromOrganisation: 'cpas-ciney',
      toOrganisation: 'saj-dinant',
      reasonCode: 'housing',
      note: NOTE,
    },
    metadata: {
      actor: 'user-4f1c9a',
      organisation: 'cpas-ciney',
      correlationId,
      causationId: randomUUID(),
    },
  };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

function ratio(a: Measurement, b: Measurement): number | null {
  return 'eventsPerSecond' in a && 'eventsPerSecond' in b
    ? a.eventsPerSecond / b.eventsPerSecond
    : null;
}

/**
 * Tops `events` up to `total` with set-based inserts of 1,000 events per transaction, shaped like
 * appends (ten events per case), then vacuums: a store being caught up on
 * is an older one, whose pages are settled, not freshly written.
 */
async function fill(admin: Pool, total: number): Promise<number> {
  const count = async () =>
    Number((await admin.query<{ n: string }>('select count(*) as n from events')).rows[0]?.n ?? 0);
  const sample = caseEvent('', 0, randomUUID());
  let missing = total - (await count());
  while (missing > 0) {
    const streams = Math.min(FILL_STREAMS_PER_TRANSACTION, Math.ceil(missing / APPENDS_PER_STREAM));
    await admin.query(
      `with new_streams as (select 'case-' || gen_random_uuid() as stream_id from generate_series(1, $1))
       insert into events (stream_id, stream_position, event_id, type, data, metadata)
       select s.stream_id, p, gen_random_uuid(), ($3::text[])[1 + p % cardinality($3::text[])],
              $4::jsonb || jsonb_build_object('caseId', s.stream_id, 'sequence', p),
              $5::jsonb || jsonb_build_object('causationId', gen_random_uuid())
       from new_streams s cross join generate_series(1, $2) p
       order by s.stream_id, p`,
      [
        streams,
        APPENDS_PER_STREAM,
        EVENT_TYPES,
        JSON.stringify(sample.data),
        JSON.stringify(sample.metadata),
      ],
    );
    missing -= streams * APPENDS_PER_STREAM;
  }
  await admin.query('vacuum analyze events');
  return count();
}

async function measureCatchUp(url: string, admin: Pool, total: number): Promise<CatchUpRow[]> {
  const events = await fill(admin, total);
  const modes: Record<CatchUpMode, string> = {
    'read-all': 'catch-up, readAll pages',
    processor: 'catch-up, ProcessorRunner',
  };
  const rows: CatchUpRow[] = [];
  for (const [mode, name] of Object.entries(modes)) {
    const result = await runScript<CatchUpResult>('catch-up.js', [mode, String(events)], {
      DATABASE_URL: url,
    });
    const eventsPerSecond = result.distinct / result.seconds;
    const peakRssMiB = result.maxRssKiB / 1024;
    const problem = catchUpProblem(result);
    rows.push({
      name,
      events,
      received: result.received,
      distinct: result.distinct,
      seconds: result.seconds,
      finished: result.finished,
      eventsPerSecond,
      peakRssMiB,
      problem,
      target: `≥${formatNumber(CATCH_UP_RATE_TARGET)}/s, RSS ≤${CATCH_UP_RSS_TARGET_MIB} MiB`,
      met:
        problem === null &&
        eventsPerSecond >= CATCH_UP_RATE_TARGET &&
        peakRssMiB <= CATCH_UP_RSS_TARGET_MIB,
    });
    console.log(
      `${name}: ${formatNumber(eventsPerSecond)} events/s, peak RSS ${Math.round(peakRssMiB)} MiB${problem ? ` (${problem})` : ''}`,
    );
  }
  return rows;
}

function catchUpProblem(result: CatchUpResult): string | null {
  const problems = [];
  if (!result.finished) {
    problems.push(
      `stopped at the ${result.limitSeconds} s limit, ${formatNumber(result.distinct)} of ${formatNumber(result.expected)} events read`,
    );
  } else if (result.distinct < result.expected) {
    problems.push(
      `caught up, but ${formatNumber(result.expected - result.distinct)} of ${formatNumber(result.expected)} events were never read`,
    );
  }
  if (result.received > result.distinct) {
    problems.push(
      `${formatNumber(result.received - result.distinct)} events were read more than once`,
    );
  }
  return problems.length > 0 ? problems.join('; ') : null;
}

function progressLine(row: AppendRow): string {
  const cell = (m: Measurement) =>
    'unavailable' in m ? 'n/a' : `${formatNumber(m.eventsPerSecond)}/s`;
  return `${row.name}: raw ${cell(row.raw)}, Relais ${cell(row.relais)}, Emmett ${cell(row.emmett)}`;
}

function printTable(appendRows: readonly AppendRow[], catchUpRows: readonly CatchUpRow[]): void {
  const notes: string[] = [];
  const footnote = (text: string) => {
    notes.push(`[${notes.length + 1}] ${text}`);
    return ` [${notes.length}]`;
  };
  const rate = (system: string, row: AppendRow, m: Measurement) =>
    'eventsPerSecond' in m
      ? formatNumber(m.eventsPerSecond)
      : `n/a${footnote(`${system}, ${row.name}: ${m.unavailable}`)}`;
  const optionalRatio = (r: number | null) => (r === null ? '-' : formatRatio(r));
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  const header = ['', 'raw ev/s', 'Relais ev/s', 'Emmett ev/s', 'Relais/raw', 'Relais/Emmett'];
  const rows = [
    ...appendRows.map((row) => [
      row.name,
      rate('raw', row, row.raw),
      rate('Relais', row, row.relais),
      rate('Emmett', row, row.emmett),
      optionalRatio(row.relaisVsRaw),
      optionalRatio(row.relaisVsEmmett),
      '',
      row.target,
      met(row.met),
    ]),
    ...catchUpRows.map((row) => [
      row.name,
      '',
      `${formatNumber(row.eventsPerSecond)}${row.problem === null ? '' : footnote(`${row.name}: ${row.problem}`)}`,
      '',
      '',
      '',
      `${Math.round(row.peakRssMiB)} MiB`,
      row.target,
      met(row.met),
    ]),
  ];
  console.log(`\n${formatTable([...header, 'peak RSS', 'target', 'met'], rows)}`);
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
}
