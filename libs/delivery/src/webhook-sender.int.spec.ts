import { migrate } from '@relais/database';
import { randomBytes, randomUUID } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/postgres';
import { Delivery, Outbox, outboxMigrations, PermanentDeliveryError } from './outbox';
import type { WebhookAllowList } from './webhook-targets';
import {
  WebhookDeliveryError,
  webhookMigrations,
  WebhookRegistry,
  WebhookSender,
  WebhookSenderOptions,
} from './webhooks';

const LOOPBACK_ALLOWED: WebhookAllowList = {
  hosts: [],
  networks: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }],
};

const aDelivery = (): Extract<Delivery, { channel: 'webhook' }> => {
  const id = randomUUID();
  return {
    id,
    obligationId: randomUUID(),
    channel: 'webhook',
    recipient: 'saj-dinant',
    message: { organisationId: 'saj-dinant', body: { type: 'obligation.opened', deliveryId: id } },
    attempt: 1,
    retriedAfter: 0,
  };
};

/** What sending one delivery came to: delivered, or the error's class and its message. */
async function outcomeOf(sender: WebhookSender): Promise<string> {
  try {
    await sender.send(aDelivery());
    return 'delivered';
  } catch (error) {
    const kind =
      error instanceof PermanentDeliveryError
        ? 'permanent'
        : error instanceof WebhookDeliveryError
          ? 'retry'
          : 'other';
    return `${kind}: ${(error as Error).message}`;
  }
}

describe('the webhook sender', () => {
  let pool: Pool;
  let drop: () => Promise<void>;
  let registry: WebhookRegistry;
  let server: Server;
  let port: number;
  let requests = 0;
  let answer: (response: ServerResponse) => void;
  const now = () => new Date('2026-11-20T10:00:00Z');

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    pool = new Pool({ connectionString: database.url });
    await migrate(pool, [...outboxMigrations, ...webhookMigrations]);
    registry = new WebhookRegistry(pool, randomBytes(32));
    server = createServer((request, response) => {
      requests++;
      request.resume();
      request.on('end', () => answer(response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.end();
    await drop();
  });
  beforeEach(() => {
    requests = 0;
    answer = (response) => response.end();
  });

  const target = (url: string) =>
    registry.set('saj-dinant', url, 'x'.repeat(32), 'chef-saj', now());
  const sender = (options: WebhookSenderOptions = {}) => new WebhookSender(registry, now, options);

  it('refuses, when connecting, a name that resolves to this machine, unless it is allowed', async () => {
    await target(`http://localhost:${port}/relais`);
    expect(await outcomeOf(sender())).toBe('permanent: refused_address');
    expect(requests).toBe(0);
    expect(await outcomeOf(sender({ allow: LOOPBACK_ALLOWED }))).toBe('delivered');
    expect(requests).toBe(1);
  });

  it('connects only to addresses it checked itself, whatever the name', async () => {
    const asked: string[] = [];
    // A public-looking name whose DNS answers with this machine (a rebinding): never sent there.
    const rebinding = (host: string): Promise<readonly LookupAddress[]> => {
      asked.push(host);
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    };
    await target(`https://hooks.saj-dinant.example.be:${port}/relais`);
    expect(await outcomeOf(sender({ resolve: rebinding }))).toBe('permanent: refused_address');
    expect(asked).toEqual(['hooks.saj-dinant.example.be']);
    expect(requests).toBe(0);

    // Allowed, it connects to the address the resolver gave: a closed port there refuses it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await target(`https://hooks.saj-dinant.example.be:${closedPort}/relais`);
    expect(await outcomeOf(sender({ resolve: rebinding, allow: LOOPBACK_ALLOWED }))).toBe(
      'retry: connection_refused',
    );
    expect(asked).toHaveLength(2);
  });

  it('refuses an internal address literal before any connection', async () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      `http://127.0.0.2:${port}/`,
    ]) {
      await target(url);
      expect([url, await outcomeOf(sender({ allow: LOOPBACK_ALLOWED }))]).toEqual([
        url,
        'permanent: refused_address',
      ]);
    }
    expect(requests).toBe(0);
  });

  it('records a kind of failure, never what the receiver said nor where it is', async () => {
    await target(`http://127.0.0.1:${port}/relais`);
    const send = sender({ allow: LOOPBACK_ALLOWED, timeoutMs: 300 });
    const answers: [(response: ServerResponse) => void, string][] = [
      [
        (r) => r.writeHead(503).end('PostgreSQL 18 on 10.0.0.3:5432 says no'),
        'retry: http_error_5xx',
      ],
      [(r) => r.writeHead(404).end('nginx/1.27'), 'retry: http_error_4xx'],
      [(r) => r.writeHead(302, { location: 'http://10.0.0.3/' }).end(), 'retry: http_redirect'],
      [(r) => r.socket?.destroy(), 'retry: connection_reset'],
      [() => undefined, 'retry: timeout'],
      [(r) => r.writeHead(204).end(), 'delivered'],
    ];
    for (const [respond, expected] of answers) {
      answer = respond;
      expect(await outcomeOf(send)).toBe(expected);
    }
    expect(requests).toBe(answers.length);
  });

  it('rewrites the failures recorded before they were kinds', async () => {
    const database = await createTestDatabase();
    const old = new Pool({ connectionString: database.url });
    try {
      const earlier = webhookMigrations.filter((m) => m.id !== '0441_webhook_failures_as_kinds');
      await migrate(old, [...outboxMigrations, ...earlier]);
      const errors = [
        'HTTP 503',
        'HTTP 418',
        'HTTP 301',
        'no answer within 10 s',
        'could not reach 127.0.0.1:5432 (ECONNREFUSED)',
        'could not reach 10.0.0.3 (ENOTFOUND)',
        'no webhook is configured for saj-dinant',
      ];
      for (const [i, error] of errors.entries()) {
        await old.query(
          `insert into outbox (id, obligation_id, channel, recipient, message, last_error)
           values ($1, 'o', 'webhook', 'saj-dinant', '{}', $2)`,
          [`d${i}`, error],
        );
      }
      await migrate(old, [...outboxMigrations, ...webhookMigrations]);
      const listed = await new Outbox(old).deliveries('webhook', 'saj-dinant');
      expect(listed.map((d) => d.lastError).sort()).toEqual(
        [
          'http_error_5xx',
          'http_error_4xx',
          'http_redirect',
          'timeout',
          'connection_refused',
          'connection_failed',
          'no webhook is configured for saj-dinant',
        ].sort(),
      );
    } finally {
      await old.end();
      await database.drop();
    }
  });
});
