import { inTransaction, Migration, SqlTransaction } from '@relais/database';
import { randomUUID } from 'node:crypto';
import { ClientBase, Pool } from 'pg';
import type { DeliveryRecord } from '@relais/wire';

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
  {
    id: '0431_outbox_by_recipient',
    sql: `create index outbox_recipient on outbox (channel, recipient, created_at desc);
alter table outbox add column retried_after integer not null default 0;`,
  },
  {
    id: '0432_outbox_leases',
    sql: `alter table outbox add column leased_until timestamptz, add column lease_id uuid;
drop index outbox_due;
create index outbox_due on outbox (channel, next_attempt_at) where delivered_at is null and dead_at is null;`,
  },
  {
    id: '0433_outbox_dead_letters',
    // The metrics count dead letters at each scrape: never a scan of every delivery ever made.
    sql: `create index outbox_dead on outbox (channel) where delivered_at is null and dead_at is not null;`,
  },
  {
    // Approved minutes go out through the same outbox as notifications; the source says whose
    // stream a delivery's outcome is recorded on.
    id: '0434_outbox_sources',
    sql: `alter table outbox add column source text not null default 'obligation';`,
  },
  {
    id: '0435_outbox_correlation',
    // The request the notification comes from, for the delivery's log lines: an id, no content.
    sql: `alter table outbox add column correlation_id text;`,
  },
];

/** What a delivery is about: an obligation (a notification), or a meeting's approved minutes. */
export const OUTBOX_SOURCES = ['obligation', 'minutes'] as const;
export type OutboxSource = (typeof OUTBOX_SOURCES)[number];

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** What the text was written from, for a sender that writes it again when it sends it. */
  readonly writtenFrom?: unknown;
}

/** The JSON body a webhook receives; the address and secret are read when it is sent. */
export interface WebhookMessage {
  readonly organisationId: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export type OutboxEntry =
  | {
      /** The idempotency key: one per obligation, channel and recipient; a replay enqueues nothing new. */
      readonly id: string;
      /** An obligation by default; `minutes`: `obligationId` is the meeting's id. */
      readonly source?: OutboxSource;
      readonly obligationId: string;
      readonly channel: 'email';
      /** An e-mail address. */
      readonly recipient: string;
      readonly message: EmailMessage;
      /** The `correlationId` of the events it comes from: its log lines carry it. */
      readonly correlationId?: string;
    }
  | {
      readonly id: string;
      readonly source?: OutboxSource;
      readonly obligationId: string;
      readonly channel: 'webhook';
      /** An organisation id. */
      readonly recipient: string;
      readonly message: WebhookMessage;
      readonly correlationId?: string;
    };

export type Channel = OutboxEntry['channel'];

/** Written in the transaction that opens the obligation: nothing to send is ever lost. */
export async function enqueue(client: SqlTransaction, entry: OutboxEntry): Promise<void> {
  await client.query(
    `insert into outbox (id, obligation_id, channel, recipient, message, source, correlation_id)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do nothing`,
    [
      entry.id,
      entry.obligationId,
      entry.channel,
      entry.recipient,
      JSON.stringify(entry.message),
      entry.source ?? 'obligation',
      entry.correlationId ?? null,
    ],
  );
}

/**
 * An entry being sent: `attempt` counts from 1 and keeps counting after a dead letter is retried;
 * `retriedAfter` is the attempt it was retried after (0 until then).
 */
export type Delivery = OutboxEntry & { readonly attempt: number; readonly retriedAfter: number };

/** A failure that no retry can mend (the receiver is gone): dead-lettered at once. */
export class PermanentDeliveryError extends Error {}

export type DeliveryOutcome =
  | { readonly delivered: true; readonly delivery: Delivery }
  | {
      readonly delivered: false;
      readonly delivery: Delivery;
      readonly reason: string;
      readonly deadLettered: boolean;
    };

export type Sender<C extends Channel> = (
  delivery: Extract<Delivery, { channel: C }>,
) => Promise<void>;

export type Senders = { readonly [C in Channel]?: Sender<C> };

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

export type { DeliveryRecord } from '@relais/wire';

const RECORD_COLUMNS = `id, obligation_id as "obligationId", channel, recipient,
  case when delivered_at is not null then 'delivered' when dead_at is not null then 'dead' else 'pending' end as status,
  attempts, last_error as "lastError",
  case when delivered_at is null and dead_at is null then next_attempt_at end as "nextAttemptAt",
  delivered_at as "deliveredAt", dead_at as "deadAt", created_at as "createdAt"`;

/** A delivery claimed for a while: its outcome is recorded only while this lease is still its own. */
export interface Claim {
  readonly delivery: Delivery;
  readonly leaseId: string;
}

/** Writes an outcome in the transaction that records it in the outbox. */
export type Recorder = (client: ClientBase, outcome: DeliveryOutcome) => Promise<void>;

/**
 * How long a claim lasts: longer than any send may take (a webhook gives up after 10 s, SMTP after
 * its timeouts), so only a claim whose worker died or lost its database expires.
 */
export const LEASE_MS = 60_000;

const CLAIMED_COLUMNS = `o.id, o.source, o.obligation_id as "obligationId", o.channel, o.recipient,
  o.message, o.attempts, o.retried_after as "retriedAfter", o.lease_id as "leaseId",
  o.correlation_id as "correlationId"`;

/**
 * Leases and outcomes commit without waiting for the disk: each would otherwise cost a WAL flush
 * per send, which every append of the network then queues behind. Lost in a crash of PostgreSQL,
 * a lease or an outcome only means the delivery is sent again, under the same idempotency key the
 * receiver drops duplicates by; and as WAL is replayed in order, no later commit survives one lost.
 */
const UNFLUSHED = 'begin; set local synchronous_commit to off';

export class Outbox {
  constructor(
    private readonly pool: Pool,
    private readonly leaseMs = LEASE_MS,
  ) {}

  /**
   * Leases up to `limit` due deliveries on a channel, in one statement committed at once: no
   * transaction stays open while they are sent, so the read barrier never waits on a receiver.
   * A lease that expired (its worker died mid-send) is claimable again. Leases are timed by the
   * database's clock: one clock for every replica, and one a test moving the app's clock leaves alone.
   */
  async claim(channel: Channel, limit: number, now: Date): Promise<Claim[]> {
    const { rows } = await this.unflushed((client) =>
      client.query<
        Omit<OutboxEntry, 'message' | 'correlationId'> & {
          message: never;
          attempts: number;
          retriedAfter: number;
          leaseId: string;
          correlationId: string | null;
        }
      >(
        `with due as (
         select id from outbox
         where channel = $1 and delivered_at is null and dead_at is null and next_attempt_at <= $2
           and (leased_until is null or leased_until <= clock_timestamp())
         order by next_attempt_at limit $3 for update skip locked)
       update outbox o set leased_until = clock_timestamp() + $4 * interval '1 millisecond', lease_id = $5
       from due where o.id = due.id
       returning ${CLAIMED_COLUMNS}`,
        [channel, now, limit, this.leaseMs, randomUUID()],
      ),
    );
    return rows.map(({ attempts, leaseId, correlationId, ...entry }) => ({
      // Counted when an outcome is recorded: a send whose worker died is attempted again as itself.
      delivery: {
        ...entry,
        attempt: attempts + 1,
        ...(correlationId === null ? {} : { correlationId }),
      },
      leaseId,
    }));
  }

  /**
   * Records an outcome in a short transaction, with what `record` writes, if the lease is still
   * this claim's; false when it expired and another worker claimed the delivery since. An outcome
   * that cannot be recorded leaves its lease to expire: the delivery is sent again then.
   */
  async settle(
    claim: Claim,
    outcome: DeliveryOutcome,
    now: Date,
    record: Recorder,
  ): Promise<boolean> {
    const { delivery, leaseId } = claim;
    const client = await this.pool.connect();
    try {
      await client.query(UNFLUSHED);
      const { rowCount } = outcome.delivered
        ? await client.query(
            `update outbox set delivered_at = $3, attempts = $4, last_error = null, leased_until = null,
               lease_id = null where id = $1 and lease_id = $2`,
            [delivery.id, leaseId, now, delivery.attempt],
          )
        : await client.query(
            `update outbox set attempts = $3, last_error = $4, next_attempt_at = $5, dead_at = $6,
               leased_until = null, lease_id = null where id = $1 and lease_id = $2`,
            [
              delivery.id,
              leaseId,
              delivery.attempt,
              outcome.reason,
              new Date(now.getTime() + backoffMs(delivery.attempt - delivery.retriedAfter)),
              outcome.deadLettered ? now : null,
            ],
          );
      if (rowCount !== 1) {
        await client.query('rollback');
        return false;
      }
      await record(client, outcome);
      await client.query('commit');
      return true;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** `body` in a transaction whose commit does not wait for the disk (see UNFLUSHED). */
  private unflushed<T>(body: (client: ClientBase) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, body, UNFLUSHED);
  }

  /** Gives claims back before their lease ends (a worker stopping): another worker may take them at once. */
  async release(claims: readonly Claim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.pool.query(
      `update outbox set leased_until = null, lease_id = null
       where (id, lease_id) in (select * from unnest($1::text[], $2::uuid[]))`,
      [claims.map((c) => c.delivery.id), claims.map((c) => c.leaseId)],
    );
  }

  /** Sends a claimed delivery, outside any transaction, then records its outcome if the lease holds. */
  async deliver(
    claim: Claim,
    senders: Senders,
    now: () => Date,
    record: Recorder,
  ): Promise<DeliveryOutcome | undefined> {
    const outcome = await attempt(senders, claim.delivery);
    return (await this.settle(claim, outcome, now(), record)) ? outcome : undefined;
  }

  /**
   * Sends what is due on the channels given until nothing is, `concurrency` at a time per
   * channel; returns how many outcomes it recorded. Several workers share the work: each sends
   * only what it leased.
   */
  async deliverDue(
    senders: Senders,
    now: () => Date,
    record: Recorder = async () => {},
    concurrency = 1,
  ): Promise<number> {
    const channels = Object.keys(senders) as Channel[];
    let handled = 0;
    for (const channel of channels) {
      for (;;) {
        const claims = await this.claim(channel, concurrency, now());
        if (claims.length === 0) break;
        const outcomes = await Promise.all(
          claims.map((claim) => this.deliver(claim, senders, now, record)),
        );
        handled += outcomes.filter((outcome) => outcome !== undefined).length;
      }
    }
    return handled;
  }

  /** One recipient's deliveries on a channel, newest first: what is pending, delivered, dead. */
  async deliveries(
    channel: Channel,
    recipient: string,
    options: { status?: DeliveryRecord['status']; limit?: number } = {},
  ): Promise<DeliveryRecord<Date>[]> {
    const { rows } = await this.pool.query<DeliveryRecord<Date>>(
      `select * from (select ${RECORD_COLUMNS} from outbox where channel = $1 and recipient = $2) d
       where $3::text is null or status = $3 order by "createdAt" desc limit $4`,
      [channel, recipient, options.status ?? null, options.limit ?? 100],
    );
    return rows;
  }

  /** A dead letter sent again, with a fresh day of retries; false when there is no such dead letter. */
  async retry(id: string, channel: Channel, recipient: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `update outbox set dead_at = null, retried_after = attempts, next_attempt_at = $4
       where id = $1 and channel = $2 and recipient = $3 and dead_at is not null`,
      [id, channel, recipient, now],
    );
    return rowCount === 1;
  }
}

async function attempt(senders: Senders, delivery: Delivery): Promise<DeliveryOutcome> {
  try {
    switch (delivery.channel) {
      case 'email':
        await senders.email?.(delivery);
        break;
      case 'webhook':
        await senders.webhook?.(delivery);
        break;
    }
    return { delivered: true, delivery };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const deadLettered =
      error instanceof PermanentDeliveryError ||
      retriedForADay(delivery.attempt - delivery.retriedAfter);
    return { delivered: false, delivery, reason, deadLettered };
  }
}
