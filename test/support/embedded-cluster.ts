// A throw-away embedded PostgreSQL whose data folder a test reads byte by byte. It runs in a node
// process of its own, from the built code: jest's sandbox cannot import the binaries' ESM package.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres } from '@relais/database';

const SERVER = join(__dirname, '../../dist/test/support/embedded-cluster.js');

export interface EmbeddedCluster {
  readonly url: string;
  /** The cluster's own folder: `base/`, `pg_wal/`… */
  readonly clusterDir: string;
  stop(): Promise<void>;
}

/** Starts the server in `<dataDir>/pg`; `stop` ends it and waits for its process. */
export async function startEmbeddedCluster(dataDir: string): Promise<EmbeddedCluster> {
  const child: ChildProcess = spawn(process.execPath, [SERVER, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`embedded cluster exited with ${code}`)));
  });
  return {
    url,
    clusterDir: join(dataDir, 'pg'),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function serve(dataDir: string): Promise<void> {
  const server = await startEmbeddedPostgres({ dataDir, database: 'postgres' });
  process.stdout.write(`${server.url}\n`);
  process.once('SIGTERM', () => {
    void server.stop().then(() => process.exit(0));
  });
}

if (require.main === module) void serve(process.argv[2] ?? '');
