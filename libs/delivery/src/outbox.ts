import { Migration } from '@relais/database';
import { ClientBase, Pool } from 'pg';

export const outboxMigrations: readonly Migration[] = [
  {
    id: '0430_outbox',
    sql: `
create table outbox (
  id text primary key,
  obligation_id text not null,
  channel text not null,
  recipient text not null,
  message jsonb not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default '-infinity',
  delivered_at timestamptz,
  dead_at timestamptz,
  last_error text,
  created_at timestamptz not null default now()
);
create index outbox_due on outbox (next_attempt_at) where delivered_at is null and dead_at is null;
`,
  },
];

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface OutboxEntry {
  /** The idempotency key: one per obligation, channel and recipient; a replay enqueues nothing new. */
  readonly id: string;
  readonly obligationId: string;
  readonly channel: 'email';
  readonly recipient: string;
  readonly message: EmailMessage;
}

/** Written in the transaction that opens the obligation: nothing to send is ever lost. */
export async function enqueue(client: ClientBase, entry: OutboxEntry): Promise<void> {
  await client.query(
    `insert into outbox (id, obligation_id, channel, recipient, message) values ($1, $2, $3, $4, $5)
     on conflict (id) do nothing`,
    [entry.id, entry.obligationId, entry.channel, entry.recipient, JSON.stringify(entry.message)],
  );
}

export interface DueEntry {
  readonly id: string;
  readonly message: EmailMessage;
  readonly attempts: number;
}

/** After retrying this long without a successful delivery, an entry is dead-lettered and shown as such. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

/** 1 s, 2 s, 4 s … capped at one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** (attempts - 1), 60 * 60 * 1000);
}

/** Whether the waits before these attempts add up to a day: counted from attempts, not clocks. */
export function retriedForADay(attempts: number): boolean {
  let waited = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) waited += backoffMs(attempt);
  return waited >= GIVE_UP_AFTER_MS;
}

export class Outbox {
  constructor(private readonly pool: Pool) {}

  /**
   * Sends what is due, one entry at a time, each in a transaction holding its row: several
   * workers share the work without sending anything twice.
   */
  async deliverDue(
    send: (message: EmailMessage, idempotencyKey: string) => Promise<void>,
    now: () => Date,
  ): Promise<number> {
    let delivered = 0;
    for (;;) {
      const client = await this.pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<DueEntry>(
          `select id, message, attempts from outbox
           where delivered_at is null and dead_at is null and next_attempt_at <= $1
           order by next_attempt_at limit 1 for update skip locked`,
          [now()],
        );
        const entry = rows[0];
        if (!entry) {
          await client.query('commit');
          return delivered;
        }
        try {
          await send(entry.message, entry.id);
          await client.query(
            'update outbox set delivered_at = $2, attempts = attempts + 1 where id = $1',
            [entry.id, now()],
          );
          delivered++;
        } catch (error) {
          const attempts = entry.attempts + 1;
          const giveUp = retriedForADay(attempts);
          await client.query(
            `update outbox set attempts = $2, last_error = $3, next_attempt_at = $4, dead_at = $5 where id = $1`,
            [
              entry.id,
              attempts,
              (error as Error).message,
              new Date(now().getTime() + backoffMs(attempts)),
              giveUp ? now() : null,
            ],
          );
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }
  }
}
