import { Checkpoint, RecordedEvent, START } from '../event-store';
import { CommitNotifier } from './commit-notifier';
import { PostgresEventStore } from './postgres-event-store';

export interface SubscriptionOptions {
  readonly from?: Checkpoint;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  readonly onEvents: (
    events: readonly RecordedEvent[],
    checkpoint: Checkpoint,
  ) => Promise<void> | void;
  readonly onError?: (error: Error) => void;
}

/**
 * A live reader of every committed event in commit order, holding its checkpoint in memory.
 * For read models and process managers use a processor, whose checkpoint is durable.
 */
export class Subscription {
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;
  private position: Checkpoint;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly notifier: CommitNotifier,
    private readonly options: SubscriptionOptions,
  ) {
    this.position = options.from ?? START;
    this.done = this.run();
  }

  get checkpoint(): Checkpoint {
    return this.position;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        const generation = this.notifier.generation;
        const { events, checkpoint } = await this.store.readAll({
          after: this.position,
          maxCount: this.options.batchSize ?? 1000,
        });
        if (events.length > 0) {
          await this.options.onEvents(events, checkpoint);
          this.position = checkpoint;
        } else {
          await this.notifier.wait(this.options.pollIntervalMs ?? 1000, signal, generation);
        }
      } catch (error) {
        this.options.onError?.(error as Error);
        await this.notifier.wait(1000, signal);
      }
    }
  }
}
