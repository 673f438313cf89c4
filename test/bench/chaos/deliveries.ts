// Deliveries counted at the receiver by their idempotency key, against what the outbox owes.
import type { Channel } from '@relais/delivery';
import type { ReceivedMail } from '../../support/receivers';
import type { Query } from './checks';
import { waitUntil } from './load';

export interface DeliveryCount {
  /** Outbox entries of the channel: one per notification and recipient. */
  readonly expected: number;
  /** Distinct idempotency keys the receiver accepted. */
  readonly received: number;
  /** Accepted more than once under one key. */
  readonly duplicated: number;
  /** Owed and never accepted. */
  readonly missing: number;
}

/** The key Relais sets on an e-mail: its Message-ID is `<key@relais>`. */
export function emailKey(mail: ReceivedMail): string | undefined {
  return /^Message-ID:\s*<([^>]+)@relais>/im.exec(mail.raw)?.[1];
}

/**
 * Waits until the outbox holds nothing left to send on the channel (delivered or dead); past the
 * bound, the error says what is still owed: how many, their attempts, leases and last errors.
 */
export async function outboxDrained(query: Query, channel: Channel, timeoutMs: number) {
  const owed = () =>
    query<{ attempts: number; leased: boolean; next_in_s: number; last_error: string | null }>(
      `select attempts, leased_until > clock_timestamp() as leased,
         round(extract(epoch from greatest(next_attempt_at, clock_timestamp()) - clock_timestamp()))::int as next_in_s, last_error
       from outbox where channel = $1 and delivered_at is null and dead_at is null
       order by next_attempt_at`,
      [channel],
    );
  try {
    await waitUntil(
      async () => (await owed()).length === 0,
      timeoutMs,
      `every ${channel} delivered`,
    );
  } catch (error) {
    const rows = await owed();
    const summary = [...new Set(rows.map((r) => JSON.stringify(r)))].slice(0, 5).join('; ');
    throw new Error(`${(error as Error).message}: ${rows.length} still owed (${summary})`);
  }
}

export async function countDeliveries(
  query: Query,
  channel: Channel,
  keys: readonly (string | undefined)[],
): Promise<DeliveryCount> {
  const owed = new Set(
    (await query<{ id: string }>('select id from outbox where channel = $1', [channel])).map(
      (r) => r.id,
    ),
  );
  const received = new Set(keys);
  return {
    expected: owed.size,
    received: received.size,
    duplicated: keys.length - received.size,
    missing: [...owed].filter((id) => !received.has(id)).length,
  };
}
