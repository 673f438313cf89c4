import type { SqlTransaction } from '@relais/database';
import { EventStore, RecordedEvent } from './event-store';

/**
 * What a processor's handler may touch: SQL in its batch's transaction, and the event store
 * behind the port. On PostgreSQL the store is in that transaction too; on a store of its own an
 * append is not, so a handler that appends derives its event ids from what it handles (a replay
 * appends nothing new).
 */
export interface ProcessorContext {
  readonly client: SqlTransaction;
  /** The event store, for process managers that read streams and append. */
  readonly store: EventStore;
}

/** A projection or process manager: named, checkpointed, one active instance per name. */
export interface Processor {
  readonly name: string;
  /** Only these types reach `handle`; the checkpoint still moves past the others. All when absent. */
  readonly eventTypes?: readonly string[];
  /**
   * At most this many events per batch (one transaction), below the runner's own limit: a
   * processor whose events cost much each commits a backlog, after a takeover say, in steps that
   * show progress at once instead of one long transaction.
   */
  readonly batchSize?: number;
  handle(events: readonly RecordedEvent[], context: ProcessorContext): Promise<void>;
}
