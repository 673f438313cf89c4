import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { Database } from '@relais/database';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { Metrics } from '@relais/metrics';
import { CommitNotifier } from './postgres/commit-notifier';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { Processor, ProcessorRunner, ProcessorStatus } from './postgres/processor';
import { SharedTail } from './postgres/shared-tail';

export const EVENT_STORE = Symbol('EVENT_STORE');
/** The processors this process runs: provided by the worker role, with `ProcessorHost`. */
export const PROCESSORS = Symbol('PROCESSORS');

@Injectable()
export class NotifierLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly notifier: CommitNotifier) {}
  onApplicationBootstrap(): Promise<void> {
    return this.notifier.start();
  }
  onApplicationShutdown(): Promise<void> {
    return this.notifier.stop();
  }
}

const STARTUP_WAIT_MS = 10_000;

/** Runs every registered processor; stops them before the database closes. */
@Injectable()
export class ProcessorHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Processors');
  private readonly runners: ProcessorRunner[];

  constructor(
    database: Database,
    notifier: CommitNotifier,
    store: PostgresEventStore,
    @Inject(RELAIS_CONFIG) config: RelaisConfig,
    @Inject(PROCESSORS) processors: readonly Processor[],
    @Optional() metrics?: Metrics,
  ) {
    const tail = new SharedTail(store);
    this.runners = processors.map(
      (processor) =>
        new ProcessorRunner(processor, {
          connection: database.connection,
          notifier,
          store,
          tail,
          pollIntervalMs: config.processorPollIntervalMs,
          lockRetryMs: config.processorLockRetryMs,
          log: (message) => this.logger.log(message),
          ...(metrics
            ? {
                observeBatch: (seconds: number) =>
                  metrics.processorBatch.observe({ processor: processor.name }, seconds),
                observeError: () => metrics.processorErrors.inc({ processor: processor.name }),
              }
            : {}),
        }),
    );
  }

  /** Returns once every processor is active here or a standby, so readiness holds from the start. */
  async onApplicationBootstrap(): Promise<void> {
    for (const runner of this.runners) runner.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, STARTUP_WAIT_MS)));
    await Promise.race([Promise.all(this.runners.map((runner) => runner.running)), timeout]);
    clearTimeout(timer);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  statuses(): ProcessorStatus[] {
    return this.runners.map((runner) => runner.status());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: PostgresEventStore,
      useFactory: (database: Database, notifier: CommitNotifier, metrics?: Metrics) =>
        new PostgresEventStore(database.pool, {
          afterAppend: () => notifier.signal(),
          ...(metrics
            ? {
                observeAppend: (outcome, events) => {
                  metrics.appends.inc({ outcome });
                  if (outcome === 'written') metrics.appendedEvents.inc(events);
                },
              }
            : {}),
        }),
      inject: [Database, CommitNotifier, { token: Metrics, optional: true }],
    },
    { provide: EVENT_STORE, useExisting: PostgresEventStore },
    {
      provide: CommitNotifier,
      useFactory: (database: Database) =>
        new CommitNotifier(database.connection, (m) => new Logger('CommitNotifier').warn(m)),
      inject: [Database],
    },
    NotifierLifecycle,
  ],
  exports: [EVENT_STORE, PostgresEventStore, CommitNotifier],
})
export class EventStoreModule {}
