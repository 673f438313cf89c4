// A delivery worker in a process of its own, for the lease test: it sends the due webhooks with a
// short lease, and is killed while a receiver holds its request.
import { Outbox, WebhookRegistry, WebhookSender } from '@relais/delivery';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  const now = () => new Date(process.env.RELAIS_TEST_NOW ?? '');
  const registry = new WebhookRegistry(
    pool,
    Buffer.from(process.env.RELAIS_VAULT_KEY ?? '', 'base64'),
  );
  // The test's receiver is on this machine: loopback, allowed as RELAIS_WEBHOOK_ALLOW would.
  const sender = new WebhookSender(registry, now, {
    allow: { hosts: [], networks: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }] },
  });
  const outbox = new Outbox(pool, Number(process.env.RELAIS_TEST_LEASE_MS));
  await outbox.deliverDue({ webhook: (delivery) => sender.send(delivery) }, now);
  await pool.end();
}

void main();
