export * from './event-store';
export * from './in-memory-event-store';
export * from './upcasting';
export * from './command-handler';
export * from './processing';
export * from './postgres/commit-notifier';
export * from './postgres/event-store.migrations';
export * from './postgres/postgres-event-store';
export * from './postgres/processor';
export * from './postgres/shared-tail';
export * from './postgres/read-barrier';
export * from './postgres/rebuild';
export * from './postgres/subscription';
export * from './event-store.module';
export * from './transactional';
export * from './observed-append';
// Types only: the KurrentDB client loads when the configuration asks for it (EventStoreModule).
export type {
  KurrentDbConnection,
  KurrentDbEventStore,
  KurrentDbEventStoreOptions,
} from './kurrentdb/kurrentdb-event-store';
