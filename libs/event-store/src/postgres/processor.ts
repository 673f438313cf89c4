import { inSpan } from '@relais/kernel';
import { Client, ClientConfig } from 'pg';
import { Checkpoint, compareCheckpoints, EventStore, ReadAllResult, START } from '../event-store';
import { Processor } from '../processing';
import { TransactionalEventStore } from '../transactional';
import { CommitNotifier } from './commit-notifier';
import { SharedTail } from './shared-tail';

export type { Processor, ProcessorContext } from '../processing';

/** `stuck`: active, but a batch has held it past `stuckAfterMs` (a hung query or handler). */
export type ProcessorState = 'stopped' | 'standby' | 'active' | 'failing' | 'stuck';

/** A batch that has not finished in this long holds its processor up: not ready. */
export const STUCK_AFTER_MS = 30_000;

export interface ProcessorStatus {
  readonly name: string;
  readonly state: ProcessorState;
  readonly checkpoint: Checkpoint | undefined;
  readonly lastError: string | undefined;
}

export interface ProcessorRunnerOptions {
  readonly connection: ClientConfig;
  readonly notifier: Pick<CommitNotifier, 'generation' | 'wait' | 'signal'>;
  /** Where the events are: PostgreSQL, or KurrentDB (whose appends do not join the batch's transaction). */
  readonly store: TransactionalEventStore;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** How often a standby tries to take over. */
  readonly lockRetryMs?: number;
  /** A batch running longer than this makes the processor `stuck`; `STUCK_AFTER_MS` when absent. */
  readonly stuckAfterMs?: number;
  readonly log?: (message: string) => void;
  /** Told the duration of each batch that applied events, and each failed one: the metrics. */
  readonly observeBatch?: (seconds: number) => void;
  readonly observeError?: () => void;
  /** Reads of the head shared with the other processors of this process. */
  readonly tail?: SharedTail;
}

/**
 * Runs one processor on its own connection. The connection holds a session advisory lock on the
 * processor's name: while it lives, other instances wait as hot standbys; when its process dies,
 * PostgreSQL drops the lock and a standby takes over from the last committed checkpoint. Each
 * batch's writes and the checkpoint commit in one transaction, so no event is applied twice.
 */
export class ProcessorRunner {
  private readonly abort = new AbortController();
  private done: Promise<void> | undefined;
  private state: ProcessorState = 'stopped';
  private checkpoint: Checkpoint | undefined;
  private lastError: string | undefined;
  /** When the batch under way began (performance.now()); undefined between batches. */
  private batchSince: number | undefined;
  private readonly eventTypes: ReadonlySet<string> | undefined;
  private markRunning: () => void = () => undefined;
  /** Settles once the runner is active or a standby: its processor is running somewhere. */
  readonly running = new Promise<void>((resolve) => (this.markRunning = resolve));

  constructor(
    private readonly processor: Processor,
    private readonly options: ProcessorRunnerOptions,
  ) {
    this.eventTypes = processor.eventTypes ? new Set(processor.eventTypes) : undefined;
  }

  start(): void {
    this.done ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
    this.state = 'stopped';
  }

  status(): ProcessorStatus {
    const stuck =
      this.state === 'active' &&
      this.batchSince !== undefined &&
      performance.now() - this.batchSince > (this.options.stuckAfterMs ?? STUCK_AFTER_MS);
    return {
      name: this.processor.name,
      state: stuck ? 'stuck' : this.state,
      checkpoint: this.checkpoint,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    const log = this.options.log ?? (() => undefined);
    while (!signal.aborted) {
      const client = new Client(this.options.connection);
      client.on('error', () => undefined); // surfaces as a failed query below
      try {
        await client.connect();
        await client.query('set synchronous_commit to off');
        await this.waitForLock(client, signal);
        if (signal.aborted) break;
        this.state = 'active';
        this.markRunning();
        this.lastError = undefined;
        log(`processor ${this.processor.name} is active`);
        await this.loadCheckpoint(client);
        while (!signal.aborted) {
          const generation = this.options.notifier.generation;
          this.batchSince = performance.now();
          const read = await this.step(client, this.batchSince).finally(
            () => (this.batchSince = undefined),
          );
          // A short batch reached the head: the next read waits for a commit after it began.
          if (read < this.batchSize) {
            await this.options.notifier.wait(
              this.options.pollIntervalMs ?? 1000,
              signal,
              generation,
            );
          }
        }
      } catch (error) {
        if (signal.aborted) break;
        this.state = 'failing';
        this.options.observeError?.();
        this.lastError = (error as Error).message;
        log(`processor ${this.processor.name} failed: ${this.lastError}; retrying`);
        await sleep(1000, signal);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  private async waitForLock(client: Client, signal: AbortSignal): Promise<void> {
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>(
        "select pg_try_advisory_lock(hashtextextended('relais.processor:' || $1, 0)) as locked",
        [this.processor.name],
      );
      if (rows[0]?.locked || signal.aborted) return;
      this.state = 'standby';
      this.markRunning();
      await sleep(this.options.lockRetryMs ?? 1000, signal);
    }
  }

  /** Where this processor stopped: read once on taking the lock, which no one else then holds. */
  private async loadCheckpoint(client: Client): Promise<void> {
    const { rows } = await client.query<{ transaction_id: string; global_position: string }>(
      `insert into processor_checkpoints (name) values ($1)
       on conflict (name) do update set name = excluded.name
       returning transaction_id::text, global_position`,
      [this.processor.name],
    );
    const row = rows[0];
    this.checkpoint = {
      transactionId: Number(row?.transaction_id ?? 0),
      globalPosition: Number(row?.global_position ?? 0),
    };
  }

  private get batchSize(): number {
    return Math.min(this.options.batchSize ?? 2000, this.processor.batchSize ?? Infinity);
  }

  /**
   * One batch; returns how many events it read. Reading takes one statement; only a batch with
   * events for this processor opens a transaction, in which its writes and the checkpoint commit
   * together, so no event is applied twice. A batch with none moves the checkpoint alone. The
   * session's commits do not wait for the disk: if PostgreSQL crashes, a batch's writes and its
   * checkpoint are lost together and the batch runs again, and catching up is not one flush per
   * batch.
   */
  private async step(client: Client, began: number): Promise<number> {
    const after = this.checkpoint ?? START;
    let appended = false;
    const store = this.options.store.within(client, () => (appended = true));
    const { events, checkpoint } = await this.read(store, after, began);
    const save = {
      text: `update processor_checkpoints set transaction_id = $2::xid8, global_position = $3, updated_at = now()
             where name = $1`,
      values: [this.processor.name, String(checkpoint.transactionId), checkpoint.globalPosition],
    };
    if (events.length === 0) {
      // A store that filters by type may have scanned past events of other types.
      if (compareCheckpoints(checkpoint, after) > 0) {
        await client.query(save);
        this.checkpoint = checkpoint;
      }
      return 0;
    }
    const relevant = this.eventTypes ? events.filter((e) => this.eventTypes?.has(e.type)) : events;
    if (relevant.length === 0) {
      await client.query(save);
    } else {
      await inSpan(
        `processor ${this.processor.name}`,
        { 'relais.processor': this.processor.name, 'relais.batch.events': relevant.length },
        async () => {
          const started = performance.now();
          await client.query('begin');
          try {
            await this.processor.handle(relevant, { client, store });
            await client.query(save);
            await client.query('commit');
            this.options.observeBatch?.((performance.now() - started) / 1000);
          } catch (error) {
            await client.query('rollback').catch(() => undefined);
            throw error;
          }
        },
      );
      if (appended) this.options.notifier.signal();
    }
    this.checkpoint = checkpoint;
    return events.length;
  }

  private read(store: EventStore, after: Checkpoint, began: number): Promise<ReadAllResult> {
    const { tail, store: source } = this.options;
    if (tail) return tail.read(after, this.batchSize, began);
    if (source.readAllOfTypes) {
      return source.readAllOfTypes({
        after,
        maxCount: this.batchSize,
        ...(this.eventTypes ? { eventTypes: [...this.eventTypes] } : {}),
      });
    }
    return store.readAll({ after, maxCount: this.batchSize });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
