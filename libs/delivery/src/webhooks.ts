import { Migration } from '@relais/database';
import { open, pack, seal, unpack } from '@relais/vault';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ClientBase, Pool } from 'pg';
import { Delivery, PermanentDeliveryError } from './outbox';

/** Where each organisation's webhook goes, and its secret: configuration, not facts, kept beside the store. */
export const webhookMigrations: readonly Migration[] = [
  {
    id: '0440_webhooks',
    sql: `create table webhooks (
      organisation_id text primary key,
      url text not null,
      secret bytea not null,
      updated_at timestamptz not null,
      updated_by text not null)`,
  },
];

export interface Webhook {
  readonly organisationId: string;
  readonly url: string;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why an address cannot receive webhooks, or undefined when it can: HTTPS, or HTTP on this machine. */
export function webhookUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'url must be an absolute URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'url must use https (plain http only on localhost)';
}

export const MIN_SECRET_LENGTH = 32;

export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are sealed with the vault's master key: a copy of the database alone cannot sign. */
export class WebhookRegistry {
  constructor(
    private readonly pool: Pool,
    private readonly masterKey: Buffer,
  ) {}

  async set(
    organisationId: string,
    url: string,
    secret: string,
    by: string,
    at: Date,
    db: Pool | ClientBase = this.pool,
  ): Promise<Webhook> {
    const sealed = pack(seal(this.masterKey, Buffer.from(secret), this.aad(organisationId)));
    await db.query(
      `insert into webhooks (organisation_id, url, secret, updated_at, updated_by) values ($1, $2, $3, $4, $5)
       on conflict (organisation_id) do update set url = $2, secret = $3, updated_at = $4, updated_by = $5`,
      [organisationId, url, sealed, at, by],
    );
    return { organisationId, url, updatedAt: at, updatedBy: by };
  }

  async describe(organisationId: string): Promise<Webhook | undefined> {
    const { rows } = await this.pool.query<Webhook>(
      `select organisation_id as "organisationId", url, updated_at as "updatedAt", updated_by as "updatedBy"
       from webhooks where organisation_id = $1`,
      [organisationId],
    );
    return rows[0];
  }

  /** The address and the secret, for signing. */
  async target(organisationId: string): Promise<{ url: string; secret: string } | undefined> {
    const { rows } = await this.pool.query<{ url: string; secret: Buffer }>(
      'select url, secret from webhooks where organisation_id = $1',
      [organisationId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const secret = open(this.masterKey, unpack(row.secret), this.aad(organisationId));
    return { url: row.url, secret: secret.toString() };
  }

  async remove(organisationId: string, db: Pool | ClientBase = this.pool): Promise<boolean> {
    const { rowCount } = await db.query('delete from webhooks where organisation_id = $1', [
      organisationId,
    ]);
    return rowCount === 1;
  }

  private aad(organisationId: string): Buffer {
    return Buffer.from(`webhook:${organisationId}`);
  }
}

export const SIGNATURE_HEADER = 'relais-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const ATTEMPT_HEADER = 'relais-delivery-attempt';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe-style receivers expect. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * What a receiver does: recompute the HMAC over the timestamp and the raw body, compare in
 * constant time, and refuse a timestamp too far from its clock (a replayed request).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(
    header.split(',').map((part) => {
      const [key = '', value = ''] = part.split('=', 2);
      return [key.trim(), value.trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const mac = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body).split('v1=')[1] ?? '');
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * POSTs a webhook delivery: the JSON body, signed over a timestamp; the delivery id as the
 * idempotency key, the same on every attempt. Anything but a 2xx answer is a failure to retry;
 * redirects are not followed.
 */
export class WebhookSender {
  constructor(
    private readonly registry: WebhookRegistry,
    private readonly now: () => Date,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(delivery: Extract<Delivery, { channel: 'webhook' }>): Promise<void> {
    const target = await this.registry.target(delivery.message.organisationId);
    if (!target) {
      throw new PermanentDeliveryError(
        `no webhook is configured for ${delivery.message.organisationId}`,
      );
    }
    const body = JSON.stringify(delivery.message.body);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    let response: Response;
    try {
      response = await fetch(target.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Relais-Webhook/1',
          [SIGNATURE_HEADER]: webhookSignature(target.secret, timestamp, body),
          [IDEMPOTENCY_HEADER]: delivery.id,
          [ATTEMPT_HEADER]: String(delivery.attempt),
        },
        body,
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message;
      if ((error as Error).name === 'TimeoutError') {
        throw new Error(`no answer within ${this.timeoutMs / 1000} s`);
      }
      throw new Error(`could not reach ${new URL(target.url).host}${why ? ` (${why})` : ''}`);
    }
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`HTTP ${response.status}`);
    }
  }
}
