import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@relais/database';

/**
 * An embedded PostgreSQL of a test's own, in a child process: jest's sandbox cannot import the
 * ESM package that holds the binaries. Stopping it is PostgreSQL's fast shutdown, as an operator's
 * `pg_ctl stop` would be; started again on the same folder and port, it serves the same data.
 */
export interface StandalonePostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/** This file built: itself when it runs from dist/ (the chaos runner), else its build. */
const SCRIPT = __filename.endsWith('.js')
  ? __filename
  : join(__dirname, '../../dist/test/support/standalone-postgres.js');

export function startStandalonePostgres(
  dataDir: string,
  port: number,
): Promise<StandalonePostgres> {
  const child: ChildProcess = spawn(process.execPath, [SCRIPT, dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /^url (\S+)$/m.exec(output)?.[1];
      if (url)
        resolve({
          url,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
    });
    void exited.then(() => reject(new Error(`PostgreSQL did not start:\n${output}`)));
  });
}

if (require.main === module) {
  const [dataDir, port] = process.argv.slice(2);
  void startEmbeddedPostgres({
    dataDir: dataDir ?? '',
    port: Number(port),
    database: 'postgres',
  }).then(
    (server) => {
      process.stdout.write(`url ${server.url}\n`);
      process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
    },
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
