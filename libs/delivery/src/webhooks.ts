import { Migration } from '@relais/database';
import { open, pack, seal, unpack } from '@relais/vault';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ClientBase, Pool } from 'pg';
import type { Webhook } from '@relais/wire';
import { Delivery, PermanentDeliveryError } from './outbox';
import {
  hostOf,
  NOTHING_ALLOWED,
  RefusedWebhookAddress,
  WebhookAllowList,
  WebhookTargets,
  type WebhookUrlRefusal,
} from './webhook-targets';

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
  {
    // Failures recorded before they were kinds told where the target sat and what it said.
    id: '0441_webhook_failures_as_kinds',
    sql: `update outbox set last_error = case
      when last_error ~ '^HTTP 3' then 'http_redirect'
      when last_error ~ '^HTTP 4' then 'http_error_4xx'
      when last_error ~ '^HTTP 5' then 'http_error_5xx'
      when last_error ~ '^HTTP ' then 'http_error'
      when last_error like 'no answer within %' then 'timeout'
      when last_error like 'could not reach % (ECONNREFUSED)' then 'connection_refused'
      when last_error like 'could not reach %' then 'connection_failed'
      else last_error end
    where channel = 'webhook' and last_error is not null`,
  },
];

export type { Webhook } from '@relais/wire';

/** Why an address cannot receive webhooks, or undefined when it can: see `WebhookTargets`. */
export function webhookUrlRefusal(
  value: string,
  allow: WebhookAllowList = NOTHING_ALLOWED,
): WebhookUrlRefusal | undefined {
  return new WebhookTargets(allow).urlRefusal(value);
}

export const MIN_SECRET_LENGTH = 32;

/** The prefix of a Standard Webhooks secret: base64 of the HMAC key follows it. */
export const STANDARD_SECRET_PREFIX = 'whsec_';
const MIN_STANDARD_KEY_BYTES = 24;

/** A new secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${STANDARD_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** Why a secret given by a manager cannot be used; undefined when it can. */
export function webhookSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith(STANDARD_SECRET_PREFIX)) {
    return secret.length < MIN_SECRET_LENGTH
      ? `secret must be at least ${MIN_SECRET_LENGTH} characters`
      : undefined;
  }
  const encoded = secret.slice(STANDARD_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    return 'secret must be base64 after whsec_';
  }
  return Buffer.from(encoded, 'base64').length < MIN_STANDARD_KEY_BYTES
    ? `secret must hold at least ${MIN_STANDARD_KEY_BYTES} bytes after whsec_`
    : undefined;
}

/**
 * The HMAC key of the Standard Webhooks signature: the bytes after `whsec_`; a secret set before
 * (without the prefix) signs with its own characters, as the verifiers' `format: 'raw'` reads it.
 */
export function standardWebhookKey(secret: string): Buffer {
  return secret.startsWith(STANDARD_SECRET_PREFIX)
    ? Buffer.from(secret.slice(STANDARD_SECRET_PREFIX.length), 'base64')
    : Buffer.from(secret, 'latin1');
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, the Standard Webhooks signature. */
export function standardWebhookSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): string {
  const mac = createHmac('sha256', standardWebhookKey(secret))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
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
  ): Promise<Webhook<Date>> {
    const sealed = pack(seal(this.masterKey, Buffer.from(secret), this.aad(organisationId)));
    await db.query(
      `insert into webhooks (organisation_id, url, secret, updated_at, updated_by) values ($1, $2, $3, $4, $5)
       on conflict (organisation_id) do update set url = $2, secret = $3, updated_at = $4, updated_by = $5`,
      [organisationId, url, sealed, at, by],
    );
    return { organisationId, url, updatedAt: at, updatedBy: by };
  }

  async describe(organisationId: string): Promise<Webhook<Date> | undefined> {
    const { rows } = await this.pool.query<Webhook<Date>>(
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

/** Deprecated, kept for one release beside the Standard Webhooks headers. */
export const SIGNATURE_HEADER = 'relais-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const ATTEMPT_HEADER = 'relais-delivery-attempt';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the `relais-signature` header, deprecated
 * in favour of `webhook-signature`.
 */
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
 * What a failed delivery records, for whoever set the webhook: a kind of failure, never what the
 * remote answered nor where it sits, so the deliveries list cannot be used to probe a network.
 */
export type WebhookFailure =
  | 'refused_address'
  | 'dns_failure'
  | 'connection_refused'
  | 'connection_reset'
  | 'host_unreachable'
  | 'timeout'
  | 'tls_error'
  | 'connection_failed'
  | 'http_redirect'
  | 'http_error_4xx'
  | 'http_error_5xx'
  | 'http_error';

export class WebhookDeliveryError extends Error {
  constructor(readonly failure: WebhookFailure) {
    super(failure);
    this.name = 'WebhookDeliveryError';
  }
}

class WebhookTimeout extends Error {}

export function failureOfStatus(status: number): WebhookFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status >= 300 && status < 400) return 'http_redirect';
  if (status >= 400 && status < 500) return 'http_error_4xx';
  if (status >= 500 && status < 600) return 'http_error_5xx';
  return 'http_error';
}

export function failureOfError(error: unknown): WebhookFailure {
  if (error instanceof RefusedWebhookAddress) return 'refused_address';
  if (error instanceof WebhookTimeout) return 'timeout';
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'ENODATA'].includes(code))
    return 'dns_failure';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection_reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host_unreachable';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(code))
    return 'tls_error';
  return 'connection_failed';
}

export interface WebhookSenderOptions {
  /** `RELAIS_WEBHOOK_ALLOW`: internal hosts and networks that may receive webhooks all the same. */
  readonly allow?: WebhookAllowList;
  readonly timeoutMs?: number;
  /** How names resolve; DNS by default. */
  readonly resolve?: (host: string) => Promise<readonly LookupAddress[]>;
}

/**
 * POSTs a webhook delivery: the JSON body, signed over a timestamp; the delivery id as the
 * idempotency key, the same on every attempt. Anything but a 2xx answer is a failure to retry;
 * redirects are not followed. The address is checked again as the connection is made, on every
 * address the name resolves to: a refused one is never connected to, and dead-letters at once.
 */
export class WebhookSender {
  private readonly targets: WebhookTargets;
  private readonly timeoutMs: number;

  constructor(
    private readonly registry: WebhookRegistry,
    private readonly now: () => Date,
    options: WebhookSenderOptions = {},
  ) {
    this.targets = new WebhookTargets(options.allow, options.resolve);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(delivery: Extract<Delivery, { channel: 'webhook' }>): Promise<void> {
    const target = await this.registry.target(delivery.message.organisationId);
    if (!target) {
      throw new PermanentDeliveryError(
        `no webhook is configured for ${delivery.message.organisationId}`,
      );
    }
    // Set under other rules, or before them: judged again as they are now. An IP literal is
    // judged here only: a socket given one asks no lookup.
    if (this.targets.urlProblem(target.url) !== undefined) {
      throw new PermanentDeliveryError('refused_address');
    }
    const url = new URL(target.url);
    const body = JSON.stringify(delivery.message.body);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    let status: number;
    try {
      status = await this.post(url, body, {
        'content-type': 'application/json',
        'user-agent': 'Relais-Webhook/1',
        // Standard Webhooks: the id is the delivery's, the same on every attempt.
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': standardWebhookSignature(target.secret, delivery.id, timestamp, body),
        [SIGNATURE_HEADER]: webhookSignature(target.secret, timestamp, body),
        [IDEMPOTENCY_HEADER]: delivery.id,
        [ATTEMPT_HEADER]: String(delivery.attempt),
      });
    } catch (error) {
      const failure = failureOfError(error);
      if (failure === 'refused_address') throw new PermanentDeliveryError(failure);
      throw new WebhookDeliveryError(failure);
    }
    const failure = failureOfStatus(status);
    if (failure !== undefined) throw new WebhookDeliveryError(failure);
  }

  /** The status of the answer; its body is never read. */
  private post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: this.targets.lookupFor(hostOf(url)),
          agent: false,
        },
        (response) => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
          response.destroy();
        },
      );
      const timer = setTimeout(() => request.destroy(new WebhookTimeout()), this.timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
  }
}
