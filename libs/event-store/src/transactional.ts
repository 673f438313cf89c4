import type { ClientBase } from 'pg';
import { EventStore, ReadAllOptions, ReadAllResult } from './event-store';

/**
 * The configured event store as code holding a PostgreSQL transaction appends to it. On
 * PostgreSQL, `within` joins that transaction: its events commit or roll back with the rest. On
 * KurrentDB it cannot: an append is durable at once, so such code appends last before it commits,
 * with event ids derived from what it does (`commandEventIds`), and a rerun after a rollback
 * appends nothing new.
 */
export interface TransactionalEventStore extends EventStore {
  within(client: ClientBase, afterAppend?: () => void): EventStore;
  /**
   * A processor's read, filtered by the store itself: only events of these types (all of
   * Relais's when absent). The checkpoint may lie past the last event returned, over events the
   * read scanned and left out. Absent: the processor filters what `readAll` returns.
   */
  readAllOfTypes?(options: {
    readonly after: ReadAllOptions['after'];
    readonly maxCount: number;
    readonly eventTypes?: readonly string[];
  }): Promise<ReadAllResult>;
}
