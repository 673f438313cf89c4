import { WebhookRegistry } from '@relais/delivery';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { apiOf, aRisSuppressionForTheSaj, Call } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

/**
 * Relais as deployed, without RELAIS_WEBHOOK_ALLOW: a webhook is a request Relais makes on a
 * manager's word, so it must not reach this machine or the network behind it.
 */
describe('webhook targets without an allow-list', () => {
  let relais: TestRelais;
  let call: Call;
  let chefSaj: string;
  let as: string;
  let receiver: Server;
  let received = 0;
  const webhookPath = '/api/v1/organisations/saj-dinant/webhook';

  beforeAll(async () => {
    receiver = createServer((_request, response) => {
      received++;
      response.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    relais = await startTestRelais({ RELAIS_WEBHOOK_ALLOW: '' });
    call = apiOf(relais);
    chefSaj = await relais.token('chef@saj-dinant.demo');
    as = await relais.token('as@cpas-ciney.demo');
  });
  afterAll(async () => {
    await relais?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('PUT …/webhook refuses loopback, private, link-local and other internal addresses, naming url', async () => {
    const postgresPort = new URL(relais.database.url).port;
    const receiverPort = (receiver.address() as AddressInfo).port;
    const internal = [
      'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'https://[fd00:ec2::254]/latest/meta-data/',
      'https://10.0.0.5/relais/webhook',
      'https://172.16.0.1/relais/webhook',
      'https://192.168.1.1/relais/webhook',
      'https://100.64.0.1/relais/webhook',
      'https://[fe80::1]/relais/webhook',
      'https://0.0.0.0/relais/webhook',
      'https://[::ffff:169.254.169.254]/latest/meta-data/',
      `http://127.0.0.1:${postgresPort}/`,
      `http://localhost:${postgresPort}/`,
      `http://127.0.0.1:${receiverPort}/relais/webhook`,
      `http://[::1]:${receiverPort}/relais/webhook`,
      'https://metadata.google.internal/computeMetadata/v1/',
    ];
    for (const url of internal) {
      const answer = await call<{
        code: string;
        errors: { field: string; message: string; code?: string }[];
      }>('PUT', webhookPath, chefSaj, { url });
      expect([url, answer.status, answer.body.code, answer.body.errors?.[0]?.field]).toEqual([
        url,
        400,
        'VALIDATION_FAILED',
        'url',
      ]);
      expect(answer.body.errors[0]?.message).toMatch(/internal address/);
      // …with a code the web app words in the user's language.
      expect(answer.body.errors[0]?.code).toBe('WEBHOOK_URL_INTERNAL');
    }
    expect((await call('GET', webhookPath, chefSaj)).status).toBe(404);
    const { rows } = await relais.database.pool.query(
      "select 1 from events where type = 'WebhookConfigured'",
    );
    expect(rows).toHaveLength(0);
    expect(received).toBe(0);
  });

  it('never connects to a target refused now, though it was set before: the delivery says refused_address', async () => {
    // As if set under an allow-list since removed, or by a name now resolving to this machine.
    const port = (receiver.address() as AddressInfo).port;
    await relais.app
      .get(WebhookRegistry)
      .set(
        'saj-dinant',
        `http://localhost:${port}/relais/webhook`,
        'a-secret-of-at-least-thirty-two-characters',
        'test',
        relais.clock.now(),
      );
    await aRisSuppressionForTheSaj(call, as);
    let deliveries: { status: string; attempts: number; lastError: string | null }[] = [];
    await eventually(async () => {
      deliveries = (await call<typeof deliveries>('GET', `${webhookPath}/deliveries`, chefSaj))
        .body;
      return deliveries.length > 0 && deliveries[0]?.status !== 'pending';
    });
    expect(deliveries).toEqual([
      expect.objectContaining({ status: 'dead', attempts: 1, lastError: 'refused_address' }),
    ]);
    expect(received).toBe(0);
  });
});
