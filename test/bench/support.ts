import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freshSecrets } from '../support/secrets';
import { loadConfig, RelaisConfig } from '@relais/config';
import { startEmbeddedPostgres } from '@relais/database';

export interface BenchDatabase {
  readonly url: string;
  readonly server: 'embedded' | 'DATABASE_URL';
}

/**
 * The configuration of an app run in the bench's own process on its database: fresh keys, a
 * keyring folder of its own (removed with `removeKeyring`), the demo seeded, any free port.
 */
export async function inProcessConfig(
  db: BenchDatabase,
): Promise<{ config: RelaisConfig; removeKeyring: () => Promise<void> }> {
  const keyring = await mkdtemp(join(tmpdir(), 'relais-bench-keys-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    ...freshSecrets(keyring),
    RELAIS_SEED_DEMO: 'always',
    PORT: '0',
  });
  return { config, removeKeyring: () => rm(keyring, { recursive: true, force: true }) };
}

/**
 * Runs `body` against a fresh database: a new one on the DATABASE_URL server, else a throwaway
 * embedded server. Both are removed afterwards, also on failure or Ctrl-C, so runs never see
 * each other's rows.
 */
export async function withBenchDatabase<T>(body: (db: BenchDatabase) => Promise<T>): Promise<T> {
  const { db, remove } = await openBenchDatabase();
  let removing: Promise<void> | undefined;
  const cleanUp = () => (removing ??= remove());
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: removing the benchmark database`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    return await body(db);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await cleanUp();
  }
}

async function openBenchDatabase(): Promise<{ db: BenchDatabase; remove(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `relais_bench_${randomBytes(6).toString('hex')}`;
    await adminQuery(serverUrl, `create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      db: { url: url.toString(), server: 'DATABASE_URL' },
      remove: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'relais-bench-pg-'));
  try {
    const server = await startEmbeddedPostgres({ dataDir, database: 'relais_bench' });
    return {
      db: { url: server.url, server: 'embedded' },
      remove: async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** BENCH_SCALE shrinks (or grows) every event count, for quick trial runs. */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE ?? '1';
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be > 0, got ${raw}`);
  return scale;
}

/** Runs a compiled script beside this one in its own process and parses its last stdout line. */
export function runScript<T>(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<T> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [join(__dirname, script), ...args],
      { env: { ...process.env, ...env }, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return fail(new Error(`${script} failed: ${error.message}\n${stderr}`));
        const last = stdout.trim().split('\n').pop() ?? '';
        try {
          done(JSON.parse(last) as T);
        } catch {
          fail(new Error(`${script} printed no JSON result:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/** `results` sits in the source tree, next to the compiled file's source (dist/test/bench -> test/bench). */
const RESULTS_DIR = resolve(__dirname, '..', '..', '..', 'test', 'bench', 'results');

/** Writes `<bench>-<timestamp>.json` and `<bench>-latest.json`; returns the first's path. */
export async function writeResults(
  bench: string,
  startedAt: Date,
  report: unknown,
): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // ':' is not allowed in Windows file names.
  const file = join(RESULTS_DIR, `${bench}-${startedAt.toISOString().replace(/:/g, '-')}.json`);
  await writeFile(file, json);
  await writeFile(join(RESULTS_DIR, `${bench}-latest.json`), json);
  return file;
}

/** A figure, with its unit if any ("1,390", "0 (0)", "585/585/0", "110 MiB"), not "3 PostgreSQL restarted". */
const NUMERIC = /^\d[\d.,/%()\s]*( [A-Za-z]+)?$/;

/** Plain text columns; numbers are right-aligned. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        NUMERIC.test(cell) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const formatNumber = (perSecond: number) => Math.round(perSecond).toLocaleString('en-US');

export const formatRatio = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** The q-quantile of sorted values: the smallest value with at least q of them at or below it. */
export function quantileOf(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

/** A fresh key ring and secrets on the bench database, with the demo network seeded. */
export async function benchEnvironment(url: string) {
  return {
    DATABASE_URL: url,
    ...freshSecrets(await mkdtemp(join(tmpdir(), 'relais-bench-keys-'))),
    RELAIS_SEED_DEMO: 'always',
  };
}
