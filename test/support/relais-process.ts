import { ChildProcess, spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Client } from 'pg';

/** The built app, whether this file runs from test/support under jest or from dist/ (the benchmarks). */
const BUILT = join(__dirname, __dirname.split(sep).includes('dist') ? '../..' : '../../dist');
/** The entry point of each role: `npm start` (both in one process), `start:api`, `start:worker`. */
const MAIN = {
  relais: join(BUILT, 'apps/relais/src/main.js'),
  api: join(BUILT, 'apps/api/src/main.js'),
  worker: join(BUILT, 'apps/worker/src/main.js'),
} as const;
export type RelaisRole = keyof typeof MAIN;
const CLI = join(BUILT, 'apps/relais/src/cli.js');

export interface RelaisProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the base URL once the process says it listens. */
  readonly listening: Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Kills whatever a failed test left running. */
export function killRelaisProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** This process's environment without DATABASE_URL: a started Relais uses its embedded server. */
function embeddedEnvironment(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  return { ...base, NO_COLOR: '1', PORT: '0', ...env };
}

/** Runs the built command line (`npm run relais -- …`) to its end, on the embedded server. */
export function runRelaisCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: embeddedEnvironment(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs a built entry point as a real process, with the given environment: `npm start` by default,
 * or the api or the worker alone, as `npm run start:api` and `start:worker` run them.
 */
export function startRelaisProcess(
  env: Record<string, string | undefined>,
  nodeArgs: readonly string[] = [],
  role: RelaisRole = 'relais',
): RelaisProcess {
  const child = spawn(process.execPath, [...nodeArgs, MAIN[role]], {
    env: embeddedEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`Relais exited before listening:\n${output}`)));
  });
  listening.catch(() => undefined);
  return { child, output: () => output, listening, exited };
}

/** The pid and port of the PostgreSQL running on a cluster folder, from its lock file. */
export async function postmaster(
  clusterDir: string,
): Promise<{ pid: number; port: number } | undefined> {
  try {
    const lines = (await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A connection to the embedded server a Relais process runs on its data folder. */
export async function embeddedClient(dataDir: string): Promise<Client> {
  const server = await postmaster(join(dataDir, 'pg'));
  const { user, password } = JSON.parse(
    await readFile(join(dataDir, 'credentials.json'), 'utf8'),
  ) as { user: string; password: string };
  const client = new Client({
    host: '127.0.0.1',
    port: server?.port,
    user,
    password,
    database: 'relais',
  });
  await client.connect();
  return client;
}

/**
 * Kills what a test left running on a data folder (Relais processes, an orphaned postmaster) and
 * removes the folder and its keyring beside it (`<dataDir>-keys`).
 */
export async function removeDataFolder(dataDir: string): Promise<void> {
  killRelaisProcesses();
  const left = await postmaster(join(dataDir, 'pg'));
  if (left && isAlive(left.pid)) process.kill(left.pid, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
  await rm(`${dataDir}-keys`, { recursive: true, force: true });
}
