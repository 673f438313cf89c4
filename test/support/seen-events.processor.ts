import { ClientBase } from 'pg';
import { Processor, ProcessorContext, RecordedEvent } from '@relais/event-store';

/**
 * A read model for tests: one row per event handled, keyed by event id, so applying an event
 * twice fails the batch instead of passing unnoticed.
 */
export class SeenEventsProcessor implements Processor {
  constructor(
    readonly name: string,
    private readonly handledBy: string,
    readonly eventTypes?: readonly string[],
    private readonly failOn?: (event: RecordedEvent) => boolean,
  ) {}

  static async createTable(client: Pick<ClientBase, 'query'>): Promise<void> {
    await client.query(`create table if not exists seen_events (
      processor text not null, event_id uuid not null, handled_by text not null, global_position bigint not null,
      primary key (processor, event_id))`);
  }

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    for (const event of events) {
      await client.query(
        'insert into seen_events (processor, event_id, handled_by, global_position) values ($1, $2, $3, $4)',
        [this.name, event.eventId, this.handledBy, event.globalPosition],
      );
      if (this.failOn?.(event)) throw new Error(`refused ${event.type}`);
    }
  }
}
