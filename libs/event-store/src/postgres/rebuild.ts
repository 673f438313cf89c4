import { Pool, PoolClient } from 'pg';
import { Checkpoint, START } from '../event-store';
import { Processor } from './processor';
import { TransactionalEventStore } from '../transactional';

/**
 * A read model that can be rebuilt from the store into fresh tables. Its processor must be
 * idempotent (applying an event twice changes nothing): the live processor may apply, to the
 * swapped-in tables, events the rebuild already applied.
 */
export interface RebuildTarget {
  readonly name: string;
  /** The live tables, in the order `createSql` and `processor` take their names. */
  readonly tables: readonly string[];
  createSql(names: readonly string[]): string;
  /** Secondary indexes, built once the rows are in (quicker than maintaining them row by row). */
  indexSql?(names: readonly string[]): string;
  processor(names: readonly string[]): Processor;
}

export interface RebuildProgress {
  readonly projection: string;
  readonly phase: 'catching_up' | 'swapping' | 'done';
  /** Events read from the store so far. */
  readonly processed: number;
  /** Events in the store when the rebuild started: an estimate of the work. */
  readonly total: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
  readonly elapsedSeconds: number;
}

export class RebuildInProgressError extends Error {
  constructor(readonly projection: string) {
    super(`A rebuild of ${projection} is already running`);
  }
}

export interface RebuildOptions {
  readonly batchSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** How often progress is reported while catching up. */
  readonly progressEveryMs?: number;
  /** Called once this rebuild holds the read model's rebuild lock and has begun. */
  readonly onStart?: () => void;
}

const SUFFIX = '_rebuild';

/**
 * Rebuilds a read model while the old one keeps serving: the events are replayed into new tables,
 * then, once they have caught up, the last events are applied and the tables swapped in one short
 * transaction that holds the live tables' locks (readers wait for it, they never see a half-built
 * model). The old tables are dropped afterwards. One rebuild per read model at a time.
 */
export async function rebuildProjection(
  pool: Pool,
  store: TransactionalEventStore,
  target: RebuildTarget,
  options: RebuildOptions = {},
): Promise<RebuildProgress> {
  const guard = await pool.connect();
  try {
    const { rows } = await guard.query<{ locked: boolean }>(
      `select pg_try_advisory_lock(hashtext('relais-rebuild:' || $1)) as locked`,
      [target.name],
    );
    if (!rows[0]?.locked) throw new RebuildInProgressError(target.name);
    options.onStart?.();
    try {
      return await new Rebuild(pool, store, target, options).run();
    } finally {
      await guard.query(`select pg_advisory_unlock(hashtext('relais-rebuild:' || $1))`, [
        target.name,
      ]);
    }
  } finally {
    guard.release();
  }
}

class Rebuild {
  private readonly next: string[];
  private readonly processor: Processor;
  private readonly eventTypes: ReadonlySet<string> | undefined;
  private readonly started = Date.now();
  private checkpoint: Checkpoint = START;
  private processed = 0;
  private total = 0;
  private lastReport = 0;

  constructor(
    private readonly pool: Pool,
    private readonly store: TransactionalEventStore,
    private readonly target: RebuildTarget,
    private readonly options: RebuildOptions,
  ) {
    this.next = target.tables.map((table) => `${table}${SUFFIX}`);
    this.processor = target.processor(this.next);
    this.eventTypes = this.processor.eventTypes ? new Set(this.processor.eventTypes) : undefined;
  }

  async run(): Promise<RebuildProgress> {
    await this.pool.query(
      `${this.next.map((table) => `drop table if exists ${table};`).join('\n')}\n${this.target.createSql(this.next)}`,
    );
    const estimate = await this.pool.query<{ n: string }>(
      'select coalesce(max(global_position), 0) as n from events',
    );
    this.total = Number(estimate.rows[0]?.n ?? 0);
    const client = await this.pool.connect();
    try {
      while ((await this.batch(client, true)) > 0) this.report('catching_up');
      if (this.target.indexSql) await client.query(this.target.indexSql(this.next));
      // Statistics and a visibility map before the tables serve: good plans from the first query.
      for (const table of this.next) await client.query(`vacuum (analyze) ${table}`);
      // Caught up again after the index build, so the swap's lock is held briefly.
      while ((await this.batch(client, true)) > 0) this.report('catching_up');
      this.report('swapping', true);
      await this.swap(client);
    } catch (error) {
      await this.pool
        .query(this.next.map((table) => `drop table if exists ${table};`).join('\n'))
        .catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return this.report('done', true);
  }

  /** One batch, in its own transaction when `commit`; returns the number of events read. */
  private async batch(client: PoolClient, commit: boolean): Promise<number> {
    if (commit) await client.query('begin; set local synchronous_commit to off');
    try {
      const store = this.store.within(client);
      const { events, checkpoint } = await store.readAll({
        after: this.checkpoint,
        maxCount: this.options.batchSize ?? 5000,
      });
      const relevant = this.eventTypes
        ? events.filter((e) => this.eventTypes?.has(e.type))
        : events;
      if (relevant.length > 0) await this.processor.handle(relevant, { client, store });
      if (commit) await client.query('commit');
      this.checkpoint = checkpoint;
      this.processed += events.length;
      return events.length;
    } catch (error) {
      if (commit) await client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  /** Under the live tables' locks: the last events, then the new tables take the old names. */
  private async swap(client: PoolClient): Promise<void> {
    const old = this.target.tables.map((table) => `${table}_old`);
    await client.query('begin');
    try {
      await client.query(`lock table ${this.target.tables.join(', ')} in access exclusive mode`);
      while ((await this.batch(client, false)) > 0);
      for (const [i, table] of this.target.tables.entries()) {
        await client.query(`drop table if exists ${old[i]}`);
        await client.query(`alter table ${table} rename to ${old[i]}`);
        await client.query(`alter table ${this.next[i]} rename to ${table}`);
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
    await client.query(old.map((table) => `drop table if exists ${table};`).join('\n'));
  }

  private report(phase: RebuildProgress['phase'], force = false): RebuildProgress {
    const elapsedSeconds = (Date.now() - this.started) / 1000;
    const eventsPerSecond = elapsedSeconds > 0 ? Math.round(this.processed / elapsedSeconds) : 0;
    const remaining = Math.max(this.total - this.processed, 0);
    const progress: RebuildProgress = {
      projection: this.target.name,
      phase,
      processed: this.processed,
      total: Math.max(this.total, this.processed),
      eventsPerSecond,
      etaSeconds: phase === 'done' ? 0 : eventsPerSecond > 0 ? remaining / eventsPerSecond : null,
      elapsedSeconds,
    };
    const now = Date.now();
    if (force || now - this.lastReport >= (this.options.progressEveryMs ?? 1000)) {
      this.lastReport = now;
      this.options.onProgress?.(progress);
    }
    return progress;
  }
}
