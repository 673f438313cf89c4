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
import type { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';

type KurrentDb = typeof import('./kurrentdb/kurrentdb-event-store');
import { CommitNotifier } from './postgres/commit-notifier';
import { AppendObserver } from './observed-append';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { Processor, ProcessorRunner, ProcessorStatus } from './postgres/processor';
import { SharedTail } from './postgres/shared-tail';
import { TransactionalEventStore } from './transactional';

/**
 * The configured store (`RELAIS_EVENT_STORE`), as a `TransactionalEventStore`: PostgreSQL's by
 * default, KurrentDB's when configured. `PostgresEventStore` stays injectable for what only
 * PostgreSQL's holds (the read barrier, the benchmarks).
 */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The KurrentDB store when configured, else null. */
export const KURRENTDB_EVENT_STORE = Symbol('KURRENTDB_EVENT_STORE');
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
    @Inject(EVENT_STORE) store: TransactionalEventStore,
    @Inject(RELAIS_CONFIG) config: RelaisConfig,
    @Inject(PROCESSORS) processors: readonly Processor[],
    @Optional() metrics?: Metrics,
  ) {
    // On KurrentDB each processor reads its own types, filtered by the server, instead.
    const tail = store instanceof PostgresEventStore ? new SharedTail(store) : undefined;
    this.runners = processors.map(
      (processor) =>
        new ProcessorRunner(processor, {
          connection: database.connection,
          notifier,
          store,
          ...(tail ? { tail } : {}),
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

/** Says what KurrentDB does not serve yet, and closes its connection as the application stops. */
@Injectable()
export class KurrentDbLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Optional()
    @Inject(KURRENTDB_EVENT_STORE)
    private readonly store?: KurrentDbEventStore | null,
  ) {}
  onApplicationBootstrap(): void {
    if (!this.store) return;
    new Logger('EventStore').warn(
      'events are in KurrentDB; still read from PostgreSQL, and empty there: the processor-lag ' +
        "gauges and the read barrier's age (README, KurrentDB)",
    );
  }
  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
  }
}

function appendObserver(metrics: Metrics | undefined): { observeAppend?: AppendObserver } {
  return metrics
    ? {
        observeAppend: (outcome, events) => {
          metrics.appends.inc({ outcome });
          if (outcome === 'written') metrics.appendedEvents.inc(events);
        },
      }
    : {};
}

@Global()
@Module({
  providers: [
    {
      provide: PostgresEventStore,
      useFactory: (database: Database, notifier: CommitNotifier, metrics?: Metrics) =>
        new PostgresEventStore(database.pool, {
          afterAppend: () => notifier.signal(),
          ...appendObserver(metrics),
        }),
      inject: [Database, CommitNotifier, { token: Metrics, optional: true }],
    },
    {
      // Null unless configured. The client, its gRPC stack and its native module are loaded
      // only then (half a second and some 30 MB a process otherwise), and connect at first use.
      provide: KURRENTDB_EVENT_STORE,
      useFactory: (config: RelaisConfig, notifier: CommitNotifier, metrics?: Metrics) => {
        if (config.eventStore.kind !== 'kurrentdb') return null;
        // require(), not import(), which jest's CommonJS sandbox cannot run.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { kurrentDbEventStore } = require('./kurrentdb/kurrentdb-event-store') as KurrentDb;
        return kurrentDbEventStore(config.eventStore.url, {
          // The PostgreSQL notifier wakes this process's processors and, by NOTIFY, the others'.
          afterAppend: () => notifier.signal(),
          ...appendObserver(metrics),
        });
      },
      inject: [RELAIS_CONFIG, CommitNotifier, { token: Metrics, optional: true }],
    },
    {
      provide: EVENT_STORE,
      useFactory: (
        postgres: PostgresEventStore,
        kurrent: KurrentDbEventStore | null,
      ): TransactionalEventStore => kurrent ?? postgres,
      inject: [PostgresEventStore, KURRENTDB_EVENT_STORE],
    },
    {
      provide: CommitNotifier,
      useFactory: (database: Database) =>
        new CommitNotifier(database.connection, (m) => new Logger('CommitNotifier').warn(m)),
      inject: [Database],
    },
    NotifierLifecycle,
    KurrentDbLifecycle,
  ],
  exports: [EVENT_STORE, PostgresEventStore, CommitNotifier],
})
export class EventStoreModule {}
