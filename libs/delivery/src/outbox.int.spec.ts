import { migrate } from '@relais/database';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/postgres';
import { DeliveryLane } from './delivery-lane';
import {
  Claim,
  DeliveryOutcome,
  enqueue,
  Outbox,
  outboxMigrations,
  PermanentDeliveryError,
  Senders,
} from './outbox';
import {
  verifyWebhookSignature,
  webhookMigrations,
  WebhookRegistry,
  WebhookSender,
} from './webhooks';

const LOOPBACK_ALLOWED = {
  hosts: [],
  networks: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' as const }],
};
const delivered = () => Promise.resolve();
const failing = (error: Error) => () => Promise.reject(error);
const into = (outcomes: DeliveryOutcome[]) => (_client: unknown, outcome: DeliveryOutcome) => {
  outcomes.push(outcome);
  return Promise.resolve();
};

/** Until the condition holds, or fails after `timeoutMs`. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the outbox on PostgreSQL', () => {
  let pool: Pool;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let now: Date;
  const clock = () => now;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    databaseUrl = database.url;
    pool = new Pool({ connectionString: database.url });
    await migrate(pool, [...outboxMigrations, ...webhookMigrations]);
  });
  afterAll(async () => {
    await pool.end();
    await drop();
  });
  beforeEach(async () => {
    now = new Date('2026-11-20T10:00:00Z');
    await pool.query('truncate outbox, webhooks');
  });

  async function aWebhookEntry(recipient = 'saj-dinant'): Promise<string> {
    const id = randomUUID();
    const client = await pool.connect();
    try {
      await enqueue(client, {
        id,
        obligationId: randomUUID(),
        channel: 'webhook',
        recipient,
        message: { organisationId: recipient, body: { type: 'obligation.opened', deliveryId: id } },
      });
      // Enqueued twice, as a replayed engine would: still one entry.
      await enqueue(client, {
        id,
        obligationId: randomUUID(),
        channel: 'webhook',
        recipient,
        message: { organisationId: recipient, body: {} },
      });
    } finally {
      client.release();
    }
    return id;
  }

  const statusOf = async (id: string) =>
    (await new Outbox(pool).deliveries('webhook', 'saj-dinant')).find((d) => d.id === id);

  it('retries with backoff, records each outcome, and delivers once', async () => {
    const id = await aWebhookEntry();
    const outbox = new Outbox(pool);
    const outcomes: DeliveryOutcome[] = [];
    let failures = 2;
    const senders: Senders = {
      webhook: () => (failures-- > 0 ? Promise.reject(new Error('HTTP 503')) : delivered()),
    };
    const round = () => outbox.deliverDue(senders, clock, into(outcomes));

    expect(await round()).toBe(1);
    expect(await round()).toBe(0); // not due again before its backoff
    now = new Date(now.getTime() + 1000);
    expect(await round()).toBe(1);
    now = new Date(now.getTime() + 2000);
    expect(await round()).toBe(1);
    now = new Date(now.getTime() + 60_000);
    expect(await round()).toBe(0);

    expect(
      outcomes.map((o) => [o.delivery.attempt, o.delivered, o.delivered ? null : o.reason]),
    ).toEqual([
      [1, false, 'HTTP 503'],
      [2, false, 'HTTP 503'],
      [3, true, null],
    ]);
    expect(await statusOf(id)).toMatchObject({ status: 'delivered', attempts: 3, lastError: null });
  });

  it('dead-letters after a day of failures, and a retry gives it another day', async () => {
    const id = await aWebhookEntry();
    const outbox = new Outbox(pool);
    const outcomes: DeliveryOutcome[] = [];
    const alwaysFailing: Senders = { webhook: failing(new Error('HTTP 500')) };
    for (let hour = 0; hour < 48; hour++) {
      for (;;) {
        const handled = await outbox.deliverDue(alwaysFailing, clock, into(outcomes));
        if (handled === 0) break;
      }
      now = new Date(now.getTime() + 60 * 60 * 1000);
    }
    const last = outcomes[outcomes.length - 1];
    expect(outcomes).toHaveLength(35);
    expect(outcomes.slice(0, -1).every((o) => !o.delivered && !o.deadLettered)).toBe(true);
    expect(last).toMatchObject({ delivered: false, deadLettered: true, reason: 'HTTP 500' });
    expect(await statusOf(id)).toMatchObject({ status: 'dead', attempts: 35, nextAttemptAt: null });
    expect(await outbox.deliveries('webhook', 'saj-dinant', { status: 'dead' })).toHaveLength(1);

    expect(await outbox.retry(id, 'webhook', 'cpas-ciney', now)).toBe(false);
    expect(await outbox.retry(id, 'webhook', 'saj-dinant', now)).toBe(true);
    expect(await outbox.retry(id, 'webhook', 'saj-dinant', now)).toBe(false);
    const afterRetry: DeliveryOutcome[] = [];
    await outbox.deliverDue(alwaysFailing, clock, into(afterRetry));
    expect(afterRetry).toEqual([
      expect.objectContaining({ delivered: false, deadLettered: false }) as DeliveryOutcome,
    ]);
    expect(afterRetry[0]?.delivery.attempt).toBe(36);
    await outbox.deliverDue({ webhook: delivered }, () => new Date(now.getTime() + 1000));
    expect(await statusOf(id)).toMatchObject({ status: 'delivered', attempts: 37 });
  });

  it('dead-letters at once what no retry can mend', async () => {
    const id = await aWebhookEntry();
    await new Outbox(pool).deliverDue(
      { webhook: failing(new PermanentDeliveryError('no webhook is configured')) },
      clock,
    );
    expect(await statusOf(id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'no webhook is configured',
    });
  });

  it('leaves other channels alone, and keeps an entry when recording its outcome fails', async () => {
    const id = await aWebhookEntry();
    const outbox = new Outbox(pool);
    expect(await outbox.deliverDue({ email: delivered }, clock)).toBe(0);
    await expect(
      outbox.deliverDue({ webhook: delivered }, clock, failing(new Error('store unavailable'))),
    ).rejects.toThrow('store unavailable');
    expect(await statusOf(id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  async function anEmailEntry(to = 'contact@saj-dinant.demo'): Promise<string> {
    const id = randomUUID();
    const client = await pool.connect();
    try {
      await enqueue(client, {
        id,
        obligationId: randomUUID(),
        channel: 'email',
        recipient: to,
        message: { to, subject: 'Notification', text: '…' },
      });
    } finally {
      client.release();
    }
    return id;
  }

  /** Sessions on this database inside a transaction that is not running a statement. */
  /** Sessions left in a transaction for a while (a poll's own claim passes through that state). */
  const idleInTransaction = async () =>
    (
      await pool.query<{ n: string }>(
        `select count(*) as n from pg_stat_activity
         where datname = current_database() and state like 'idle in transaction%'
           and state_change < clock_timestamp() - interval '200 milliseconds'`,
      )
    ).rows[0]?.n;

  /** A sender whose sends hang until released; it counts how many were in flight at most. */
  function aHangingSender() {
    const hanging: (() => void)[] = [];
    let inFlight = 0;
    let most = 0;
    return {
      send: () =>
        new Promise<void>((resolve) => {
          most = Math.max(most, ++inFlight);
          hanging.push(() => {
            inFlight--;
            resolve();
          });
        }),
      releaseAll: () => hanging.splice(0).forEach((release) => release()),
      inFlight: () => inFlight,
      most: () => most,
    };
  }

  describe('leases', () => {
    it('lets another worker claim a delivery once its lease expired, and only the current lease records its outcome', async () => {
      const id = await aWebhookEntry();
      const outbox = new Outbox(pool, 300);
      const [first] = await outbox.claim('webhook', 10, now);
      expect(first?.delivery).toMatchObject({ id, attempt: 1 });
      expect(await outbox.claim('webhook', 10, now)).toEqual([]); // leased

      await new Promise((r) => setTimeout(r, 400));
      const [second] = await outbox.claim('webhook', 10, now);
      expect(second?.delivery).toMatchObject({ id, attempt: 1 });
      const outcomes: DeliveryOutcome[] = [];
      const delivered = (claim: Claim): DeliveryOutcome => ({
        delivered: true,
        delivery: claim.delivery,
      });
      expect(
        await outbox.settle(first as Claim, delivered(first as Claim), now, into(outcomes)),
      ).toBe(false);
      expect(
        await outbox.settle(second as Claim, delivered(second as Claim), now, into(outcomes)),
      ).toBe(true);
      expect(
        await outbox.settle(second as Claim, delivered(second as Claim), now, into(outcomes)),
      ).toBe(false);
      expect(outcomes).toHaveLength(1);
      expect(await statusOf(id)).toMatchObject({ status: 'delivered', attempts: 1 });
    });

    describe('a worker killed mid-send', () => {
      let receiver: Server;
      let receiverUrl: string;
      const requests: { key: string; attempt: string }[] = [];
      /** What the receiver acted on: one per idempotency key, as the README asks receivers to do. */
      const processed = new Set<string>();
      let holdNext = true;
      const held: ServerResponse[] = [];

      beforeAll(async () => {
        receiver = createServer((request, response) => {
          request.resume();
          request.on('end', () => {
            const key = String(request.headers['idempotency-key']);
            requests.push({ key, attempt: String(request.headers['relais-delivery-attempt']) });
            if (holdNext) {
              holdNext = false;
              held.push(response); // the worker is killed before any answer
              return;
            }
            processed.add(key);
            response.statusCode = 204;
            response.end();
          });
        });
        await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
        receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/relais`;
      });
      afterAll(
        () =>
          new Promise<void>((resolve) => {
            receiver.closeAllConnections();
            receiver.close(() => resolve());
          }),
      );

      it('leaves its lease to expire, then another worker sends the delivery once more, and the receiver acts on it once', async () => {
        const masterKey = randomBytes(32);
        const registry = new WebhookRegistry(pool, masterKey);
        await registry.set('saj-dinant', receiverUrl, 'x'.repeat(32), 'chef', now);
        const id = await aWebhookEntry();
        const leaseMs = 1000;
        const worker = spawn(
          process.execPath,
          [join(__dirname, '../../../dist/test/support/outbox-worker.js')],
          {
            env: {
              ...process.env,
              DATABASE_URL: databaseUrl,
              RELAIS_VAULT_KEY: masterKey.toString('base64'),
              RELAIS_TEST_NOW: now.toISOString(),
              RELAIS_TEST_LEASE_MS: String(leaseMs),
            },
            stdio: ['ignore', 'inherit', 'inherit'],
          },
        );
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        await until(() => requests.length === 1);
        worker.kill('SIGKILL');
        await exited;

        const outbox = new Outbox(pool);
        const sender = new WebhookSender(registry, clock, { allow: LOOPBACK_ALLOWED });
        const outcomes: DeliveryOutcome[] = [];
        const round = () =>
          outbox.deliverDue({ webhook: (d) => sender.send(d) }, clock, into(outcomes));
        expect(await round()).toBe(0); // still leased to the killed worker
        expect(requests).toHaveLength(1);
        await until(async () => (await round()) === 1);
        for (let i = 0; i < 3; i++) expect(await round()).toBe(0);

        expect(requests).toEqual([
          { key: id, attempt: '1' },
          { key: id, attempt: '1' },
        ]);
        expect([...processed]).toEqual([id]);
        expect(outcomes.map((o) => [o.delivery.id, o.delivered])).toEqual([[id, true]]);
        expect(await statusOf(id)).toMatchObject({ status: 'delivered', attempts: 1 });
      });
    });
  });

  describe('lanes', () => {
    const lanes: DeliveryLane[] = [];
    const errors: Error[] = [];
    afterEach(async () => {
      await Promise.all(lanes.splice(0).map((lane) => lane.stop()));
      expect(errors.splice(0)).toEqual([]);
    });

    function aLane(
      outbox: Outbox,
      senders: Senders,
      concurrency: number,
      outcomes: DeliveryOutcome[],
    ) {
      const channel = Object.keys(senders)[0] as 'email' | 'webhook';
      const lane = new DeliveryLane(outbox, channel, senders, {
        concurrency,
        pollMs: 50,
        now: clock,
        record: into(outcomes),
        onError: (error) => errors.push(error),
        stopGraceMs: 100,
      });
      lanes.push(lane);
      lane.start();
      return lane;
    }

    it('keeps at most its concurrency in flight, in no transaction, while the other channel delivers', async () => {
      const webhooks = await Promise.all([1, 2, 3, 4, 5].map(() => aWebhookEntry()));
      const email = await anEmailEntry();
      const outbox = new Outbox(pool);
      const hanging = aHangingSender();
      const outcomes: DeliveryOutcome[] = [];
      aLane(outbox, { webhook: hanging.send }, 2, outcomes);
      aLane(outbox, { email: delivered }, 2, outcomes);

      await until(() => hanging.inFlight() === 2 && outcomes.length === 1);
      expect(outcomes[0]?.delivery.id).toBe(email);
      await new Promise((r) => setTimeout(r, 300)); // several polls while the sends hang
      expect(hanging.most()).toBe(2);
      expect(await idleInTransaction()).toBe('0');
      const leased = await pool.query<{ n: string }>(
        `select count(*) as n from outbox where channel = 'webhook' and leased_until > clock_timestamp()`,
      );
      expect(leased.rows[0]?.n).toBe('2');

      const released = setInterval(hanging.releaseAll, 20);
      try {
        await until(async () => {
          const statuses = await Promise.all(webhooks.map(statusOf));
          return statuses.every((d) => d?.status === 'delivered');
        });
      } finally {
        clearInterval(released);
      }
      expect(hanging.most()).toBe(2);
      expect(outcomes.map((o) => o.delivery.id).sort()).toEqual([email, ...webhooks].sort());
    });

    it('gives back, on stop, the leases of sends still hanging, and records nothing of them when they end', async () => {
      const id = await aWebhookEntry();
      const outbox = new Outbox(pool);
      const hanging = aHangingSender();
      const outcomes: DeliveryOutcome[] = [];
      const lane = aLane(outbox, { webhook: hanging.send }, 2, outcomes);
      await until(() => hanging.inFlight() === 1);
      await lane.stop();

      const [claim] = await outbox.claim('webhook', 10, now);
      expect(claim?.delivery.id).toBe(id);
      hanging.releaseAll();
      await new Promise((r) => setTimeout(r, 100));
      expect(outcomes).toEqual([]);
      expect(await statusOf(id)).toMatchObject({ status: 'pending', attempts: 0 });
    });
  });

  describe('webhooks over HTTP', () => {
    let server: Server;
    let url: string;
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    let answer = 204;

    beforeAll(async () => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          received.push({ headers: request.headers, body });
          response.statusCode = answer;
          response.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/relais`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
      received.length = 0;
      answer = 204;
    });

    it('POSTs the body signed with the organisation’s secret, sealed at rest', async () => {
      const registry = new WebhookRegistry(pool, randomBytes(32));
      const secret = 'the-saj-dinant-webhook-secret-0123456789';
      await registry.set('saj-dinant', url, secret, 'chef-saj', now);
      const { rows } = await pool.query<{ secret: Buffer }>('select secret from webhooks');
      expect(rows[0]?.secret.toString('latin1')).not.toContain(secret);

      const id = await aWebhookEntry();
      const sender = new WebhookSender(registry, clock, { allow: LOOPBACK_ALLOWED });
      answer = 500;
      await new Outbox(pool).deliverDue({ webhook: (d) => sender.send(d) }, clock);
      answer = 200;
      now = new Date(now.getTime() + 1000);
      await new Outbox(pool).deliverDue({ webhook: (d) => sender.send(d) }, clock);

      expect(received).toHaveLength(2);
      for (const [i, request] of received.entries()) {
        expect(request.headers['idempotency-key']).toBe(id);
        expect(request.headers['relais-delivery-attempt']).toBe(String(i + 1));
        expect(request.headers['content-type']).toBe('application/json');
        expect(
          verifyWebhookSignature(
            secret,
            String(request.headers['relais-signature']),
            request.body,
            Math.floor(now.getTime() / 1000),
          ),
        ).toBe(true);
        expect(JSON.parse(request.body)).toEqual({ type: 'obligation.opened', deliveryId: id });
      }
      expect(await statusOf(id)).toMatchObject({ status: 'delivered', attempts: 2 });
    });

    it('fails an unreachable address or an unconfigured organisation with a clear reason', async () => {
      const registry = new WebhookRegistry(pool, randomBytes(32));
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      await registry.set('saj-dinant', `http://127.0.0.1:${port}/`, 'x'.repeat(32), 'chef', now);
      const id = await aWebhookEntry();
      const other = await aWebhookEntry('saj-namur');
      const sender = new WebhookSender(registry, clock, { allow: LOOPBACK_ALLOWED });
      await new Outbox(pool).deliverDue({ webhook: (d) => sender.send(d) }, clock);
      expect(await statusOf(id)).toMatchObject({
        status: 'pending',
        lastError: 'connection_refused',
      });
      expect(
        (await new Outbox(pool).deliveries('webhook', 'saj-namur')).find((d) => d.id === other),
      ).toMatchObject({ status: 'dead', lastError: 'no webhook is configured for saj-namur' });
    });
  });
});
