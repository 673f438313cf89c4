import { Pool, PoolClient, PoolConfig } from 'pg';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { migrate, Migration } from './migrations';

export interface DatabaseOptions {
  /** A PostgreSQL 14+ server; absent: an embedded server in `dataDir`. */
  readonly url: string | undefined;
  readonly dataDir: string;
  readonly embeddedPort?: number;
  readonly poolMax?: number;
  readonly migrations: readonly Migration[];
  readonly log?: (line: string) => void;
  readonly warn?: (message: string) => void;
}

const MINIMUM_SERVER_VERSION = 140000;

/** The pool every component shares, and the embedded server behind it when there is one. */
export class Database {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly url: string,
    readonly pool: Pool,
    readonly migrations: readonly Migration[],
    private readonly embedded: EmbeddedPostgres | undefined,
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    const embedded =
      options.url === undefined
        ? await startEmbeddedPostgres({
            dataDir: options.dataDir,
            port: options.embeddedPort,
            log: options.log,
            warn: options.warn,
          })
        : undefined;
    const url = options.url ?? embedded?.url ?? '';
    const pool = new Pool(poolConfig(url, options.poolMax));
    pool.on('error', (error) => options.log?.(`idle database connection lost: ${error.message}`));
    // The pool listens to idle connections only. A connection lost while checked out, between two
    // queries, emits an error no one hears: the process would die of it. Its next query fails
    // instead, and the pool discards it at release.
    pool.on('connect', (client) =>
      client.on('error', (error) => options.log?.(`database connection lost: ${error.message}`)),
    );
    try {
      const { rows } = await pool.query<{ version: string }>('show server_version_num');
      if (Number(rows[0]?.version) < MINIMUM_SERVER_VERSION) {
        throw new Error(
          `PostgreSQL 14 or newer is needed, the server is ${rows[0]?.version ?? 'unknown'}`,
        );
      }
      await migrate(pool, options.migrations);
    } catch (error) {
      await pool.end().catch(() => undefined);
      await embedded?.stop();
      throw error;
    }
    return new Database(url, pool, options.migrations, embedded);
  }

  get embeddedPid(): number | undefined {
    return this.embedded?.pid;
  }

  /** Connection settings for components that hold a connection of their own (LISTEN, locks). */
  get connection(): PoolConfig {
    return poolConfig(this.url);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.pool.end().catch(() => undefined);
      await this.embedded?.stop();
    })();
    return this.closing;
  }
}

/**
 * A connection that cannot be had within this time fails (a 503 for a request) rather than wait
 * for the operating system's TCP timeout on a server that does not answer.
 */
export const CONNECT_TIMEOUT_MS = 5000;

function poolConfig(url: string, max?: number): PoolConfig {
  return {
    connectionString: url,
    max,
    application_name: 'relais',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
}

/**
 * `body` in one transaction on a connection of its own: committed when it returns, rolled back when
 * it throws. `begin` may set the transaction up (`begin; set local ...`).
 */
export async function inTransaction<T>(
  pool: Pool,
  body: (client: PoolClient) => Promise<T>,
  begin = 'begin',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await body(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * SQL in a transaction, as much of `pg` as a processor's handler and what it calls see: its read
 * models' tables and the outbox, in the transaction its checkpoint commits in. Read models stay in
 * PostgreSQL whatever store holds the events.
 */
export interface SqlTransaction {
  query<Row extends object = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ readonly rows: Row[]; readonly rowCount: number | null }>;
}
