// A deployment as an operator runs one: api and worker processes of their own (`start:api`,
// `start:worker`) on one PostgreSQL, with the keys they share. The database is a fresh one on the
// DATABASE_URL server when it is set, else on an embedded server of the runner's own, which it can
// stop and start again on the same port (scenario 3).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { freePort } from '@relais/database';
import { aCaseWithTheSaj, apiOf, demoToken } from '../../support/api';
import { createTestDatabase } from '../../support/postgres';
import { RelaisProcess, RelaisRole, startRelaisProcess } from '../../support/relais-process';
import { StandalonePostgres, startStandalonePostgres } from '../../support/standalone-postgres';
import { checkStore, Query, StoreCheck } from './checks';
import type { Acknowledged } from './load';
import { DEMO } from './kill-app';

export interface Deployment {
  readonly server: 'embedded' | 'DATABASE_URL';
  readonly env: Readonly<Record<string, string>>;
  readonly apis: RelaisProcess[];
  readonly workers: RelaisProcess[];
  /** The api processes' base URLs, as they are now. */
  readonly apiUrls: string[];
  /** A demo CPAS social worker's token, valid on every api process. */
  readonly token: string;
  /** Cases of CPAS Ciney the SAJ follows: a RIS suppression on one opens an obligation to it. */
  readonly caseIds: readonly string[];
  readonly query: Query;
  /** Once the processors caught up: what the acknowledged events promised (`checkStore`). */
  check(acknowledged: readonly Acknowledged[]): Promise<StoreCheck>;
  start(role: Exclude<RelaisRole, 'relais'>): Promise<RelaisProcess>;
  /** The embedded server only: a fast shutdown, as `pg_ctl stop` does, then a start on its port. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  close(): Promise<void>;
}

export interface DeploymentOptions {
  readonly apis: number;
  readonly workers: number;
  readonly env?: Record<string, string>;
  /** On the runner's embedded server even when DATABASE_URL is set (to stop it). */
  readonly embedded?: boolean;
}

/** Enough cases that none grows to hundreds of events in a run, as none does in a service. */
const CASES = 12;

async function stopProcess(relais: RelaisProcess): Promise<void> {
  if (relais.child.exitCode !== null || relais.child.signalCode !== null) return;
  relais.child.kill('SIGTERM');
  const timer = setTimeout(() => relais.child.kill('SIGKILL'), 10_000);
  await relais.exited;
  clearTimeout(timer);
}

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const dir = await mkdtemp(join(tmpdir(), 'relais-chaos-'));
  const keyring = await mkdtemp(join(tmpdir(), 'relais-chaos-keys-'));
  // A folder of its own: as root, the server runs as `postgres`, which must reach it.
  const pgDir = await mkdtemp(join(tmpdir(), 'relais-chaos-pg-'));
  const onServer = process.env.DATABASE_URL !== undefined && !options.embedded;
  let postgres: StandalonePostgres | undefined;
  const port = await freePort();
  const startPostgres = async () => {
    postgres = await startStandalonePostgres(pgDir, port);
  };
  if (!onServer) await startPostgres();
  const database = await createTestDatabase({
    name: onServer ? 'DATABASE_URL' : 'embedded',
    adminUrl: onServer
      ? (process.env.DATABASE_URL as string)
      : (postgres as StandalonePostgres).url,
  });
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    RELAIS_VAULT_KEY: randomBytes(32).toString('base64'),
    RELAIS_VAULT_KEYRING: keyring,
    RELAIS_TOKEN_SECRET: randomBytes(32).toString('hex'),
    RELAIS_SEED_DEMO: 'always',
    RELAIS_WEBHOOK_ALLOW: '127.0.0.1',
    RELAIS_DATA_DIR: join(dir, 'unused'),
    ...options.env,
  };
  const pool = new Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => undefined); // PostgreSQL stopped under an idle connection: scenario 3
  const query: Query = async <R extends object>(sql: string, values?: unknown[]) =>
    (await pool.query<R>(sql, values)).rows;
  const apis: RelaisProcess[] = [];
  const workers: RelaisProcess[] = [];
  const apiUrls: string[] = [];
  const start = async (role: Exclude<RelaisRole, 'relais'>) => {
    const relais = startRelaisProcess(env, [], role);
    (role === 'api' ? apis : workers).push(relais);
    const url = await relais.listening;
    if (role === 'api') apiUrls.push(url);
    return relais;
  };
  const close = async () => {
    await Promise.all([...apis, ...workers].map(stopProcess));
    await pool.end();
    await database.drop().catch(() => undefined);
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(keyring, { recursive: true, force: true });
    await rm(pgDir, { recursive: true, force: true });
  };
  try {
    // `npm start` once, to seed the demo network; then the roles apart.
    const seeding = startRelaisProcess(env);
    const url = await seeding.listening;
    const call = apiOf({ url });
    const token = await demoToken(call, DEMO);
    const caseIds: string[] = [];
    for (let i = 0; i < CASES; i++) caseIds.push(await aCaseWithTheSaj(call, token));
    await stopProcess(seeding);
    await Promise.all([
      ...Array.from({ length: options.apis }, () => start('api')),
      ...Array.from({ length: options.workers }, () => start('worker')),
    ]);
    return {
      server: onServer ? 'DATABASE_URL' : 'embedded',
      env,
      apis,
      workers,
      apiUrls,
      token,
      caseIds,
      check: (acknowledged) =>
        checkStore(query, apiUrls[0] as string, token, caseIds, acknowledged),
      query,
      start,
      stopPostgres: async () => {
        if (!postgres) throw new Error('PostgreSQL is not the runner’s own: not stopped');
        await postgres.stop();
      },
      startPostgres,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface ProcessorState {
  readonly name: string;
  readonly state: string;
}

/** What a worker's `/health/ready` says of its processors (active here, or standing by). */
export async function processorsOf(worker: RelaisProcess): Promise<ProcessorState[]> {
  const url = await worker.listening;
  const answer = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5000) });
  return ((await answer.json()) as { processors: ProcessorState[] }).processors;
}
