import { verifyWebhookSignature } from '@relais/delivery';
import { Webhook } from 'standardwebhooks';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { aCaseWithTheSaj, apiOf, Call, aRisSuppressionForTheSaj } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

interface Request {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A partner's system on loopback: it answers with whatever status the test sets. */
async function startReceiver(): Promise<{
  server: Server;
  url: string;
  received: Request[];
  answer: { status: number };
}> {
  const received: Request[] = [];
  const answer = { status: 200 };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.statusCode = answer.status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/relais/webhook`, received, answer };
}

interface Delivery {
  id: string;
  obligationId: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

describe('webhooks', () => {
  let relais: TestRelais;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let call: Call;
  let as: string;
  let chefSaj: string;
  let chefCiney: string;
  let delegue: string;
  let secret: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    relais = await startTestRelais({ PUBLIC_URL: 'https://relais.example.be' });
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
    chefSaj = await relais.token('chef@saj-dinant.demo');
    chefCiney = await relais.token('chef@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
  });
  afterAll(async () => {
    await relais.close();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer.status = 200;
  });

  const webhookPath = '/api/v1/organisations/saj-dinant/webhook';
  const nowSeconds = () => Math.floor(relais.clock.now().getTime() / 1000);
  /** Time moves on: retries whose backoff has passed become due. */
  const advance = (ms: number) => relais.clock.set(new Date(relais.clock.now().getTime() + ms));

  async function logRisSuppression(): Promise<string> {
    const caseId = await aRisSuppressionForTheSaj(call, as);
    return caseId;
  }

  /** Until the outbox has recorded this many failed attempts of the case's webhook. */
  const failuresRecorded = (caseId: string, attempts: number) =>
    eventually(async () => {
      const { rows } = await relais.database.pool.query<{ attempts: number }>(
        `select attempts from outbox
         where channel = 'webhook' and message->'body'->'obligation'->>'caseId' = $1`,
        [caseId],
      );
      return rows[0]?.attempts === attempts && about(caseId).length === attempts;
    });

  const about = (caseId: string) =>
    receiver.received.filter((r) => r.body.includes(`"caseId":"${caseId}"`));

  it('is set by the organisation’s manager or an admin, on https, and its secret is shown once', async () => {
    const problems = [
      [delegue, { url: receiver.url }, 403],
      [chefCiney, { url: receiver.url }, 403],
      [chefSaj, { url: 'http://saj-dinant.example.be/hook' }, 400, 'url'],
      [chefSaj, { url: receiver.url, secret: 'too-short' }, 400, 'secret'],
      // A Standard Webhooks secret is base64 after its prefix, of at least 24 bytes.
      [chefSaj, { url: receiver.url, secret: `whsec_${'!'.repeat(40)}` }, 400, 'secret'],
      [chefSaj, { url: receiver.url, secret: `whsec_${'QUJD'.repeat(5)}` }, 400, 'secret'],
    ] as const;
    for (const [token, body, status, field] of problems) {
      const answer = await call<{ errors?: { field: string }[] }>('PUT', webhookPath, token, body);
      expect([answer.status, answer.body.errors?.[0]?.field]).toEqual([status, field]);
    }
    expect(
      (await call('PUT', '/api/v1/organisations/nowhere/webhook', chefSaj, { url: receiver.url }))
        .status,
    ).toBe(404);

    const set = await call<{ url: string; secret: string }>('PUT', webhookPath, chefSaj, {
      url: receiver.url,
    });
    expect(set.status).toBe(200);
    expect(set.body.url).toBe(receiver.url);
    expect(set.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    secret = set.body.secret;
    const shown = await call<Record<string, unknown>>('GET', webhookPath, chefSaj);
    expect(shown.body).toMatchObject({ organisationId: 'saj-dinant', url: receiver.url });
    expect(JSON.stringify(shown.body)).not.toContain(secret);
  });

  it('POSTs each notification signed, retries through an outage with one idempotency key, and records the outcome', async () => {
    receiver.answer.status = 503;
    const caseId = await logRisSuppression();
    // The clock moves only once the failure is recorded: its backoff counts from that moment.
    await failuresRecorded(caseId, 1);
    advance(1_000);
    await failuresRecorded(caseId, 2);
    receiver.answer.status = 204;
    advance(2_000);
    await eventually(() => Promise.resolve(about(caseId).length === 3));

    const requests = about(caseId);
    const keys = new Set(requests.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect(requests.map((r) => r.headers['relais-delivery-attempt'])).toEqual(['1', '2', '3']);
    // Standard Webhooks: the published verifier accepts every attempt, under the delivery's id.
    const receiverClock = jest.spyOn(Date, 'now').mockReturnValue(nowSeconds() * 1000);
    try {
      for (const request of requests) {
        const headers = {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        };
        expect(headers['webhook-id']).toBe([...keys][0]);
        expect(new Webhook(secret).verify(request.body, headers)).toMatchObject({
          type: 'obligation.opened',
        });
        expect(() => new Webhook(secret).verify(`${request.body} `, headers)).toThrow();
        const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
        expect(() => new Webhook(other).verify(request.body, headers)).toThrow();
      }
    } finally {
      receiverClock.mockRestore();
    }
    // The earlier header, deprecated, still verifies for receivers written against it.
    for (const request of requests) {
      const signature = String(request.headers['relais-signature']);
      expect(verifyWebhookSignature(secret, signature, request.body, nowSeconds())).toBe(true);
      expect(verifyWebhookSignature('another-secret', signature, request.body, nowSeconds())).toBe(
        false,
      );
    }
    const body = JSON.parse(requests[0]?.body ?? '{}') as {
      type: string;
      deliveryId: string;
      obligation: Record<string, unknown>;
    };
    expect(body.type).toBe('obligation.opened');
    expect(body.deliveryId).toBe([...keys][0]);
    expect(body.obligation).toMatchObject({
      caseId,
      ruleId: 'cpas-ris-suppressed',
      from: 'cpas-ciney',
      to: 'saj-dinant',
      dueOn: '2026-11-27',
      data: {
        occurredOn: '2026-11-20',
        reason: 'resources_above_threshold',
        effectiveOn: '2026-12-01',
      },
      caseUrl: `https://relais.example.be/cases/${caseId}`,
    });
    expect(requests[0]?.body).not.toMatch(/Dumont|Céline/);

    const obligationId = String(body.obligation.id);
    let deliveries: Delivery[] = [];
    await eventually(async () => {
      deliveries = (await call<Delivery[]>('GET', `${webhookPath}/deliveries`, chefSaj)).body;
      return deliveries.some((d) => d.obligationId === obligationId && d.status === 'delivered');
    });
    expect(deliveries.find((d) => d.obligationId === obligationId)).toMatchObject({
      id: body.deliveryId,
      attempts: 3,
      lastError: null,
    });
    const { rows } = await relais.database.pool.query<{
      type: string;
      data: Record<string, unknown>;
    }>(
      `select type, data from events where stream_id = $1 and type like 'ObligationD%' order by stream_position`,
      [`obligation-${obligationId}`],
    );
    expect(
      rows.map((r) => [r.type, r.data.channel, r.data.attempt, r.data.reason ?? null]),
    ).toEqual([
      ['ObligationDeliveryFailed', 'webhook', 1, 'http_error_5xx'],
      ['ObligationDeliveryFailed', 'webhook', 2, 'http_error_5xx'],
      ['ObligationDispatched', 'webhook', 3, null],
    ]);
    // The obliged party follows it too, on the case.
    await eventually(async () => {
      const onCase = await call<{ deliveries: { channel: string; status: string }[] }[]>(
        'GET',
        `/api/v1/cases/${caseId}/obligations`,
        as,
      );
      return (
        onCase.body[0]?.deliveries.some(
          (d) => d.channel === 'webhook' && d.status === 'delivered',
        ) === true
      );
    });
  });

  it('dead-letters a delivery with nowhere to go, shows it, and sends it again on demand', async () => {
    receiver.answer.status = 500;
    const caseId = await logRisSuppression();
    await failuresRecorded(caseId, 1);
    expect((await call('DELETE', webhookPath, chefSaj)).status).toBe(204);
    expect((await call('GET', webhookPath, chefSaj)).status).toBe(404);
    advance(1_000);

    let dead: Delivery | undefined;
    await eventually(async () => {
      const list = await call<Delivery[]>('GET', `${webhookPath}/deliveries?status=dead`, chefSaj);
      dead = list.body[0];
      return dead !== undefined;
    });
    expect(dead).toMatchObject({
      status: 'dead',
      attempts: 2,
      lastError: 'no webhook is configured for saj-dinant',
    });
    const bad = await call<{ errors: { field: string }[] }>(
      'GET',
      `${webhookPath}/deliveries?status=lost`,
      chefSaj,
    );
    expect([bad.status, bad.body.errors[0]?.field]).toEqual([400, 'status']);

    receiver.answer.status = 200;
    await call('PUT', webhookPath, chefSaj, { url: receiver.url, secret });
    const retry = `${webhookPath}/deliveries/${dead?.id}/retry`;
    expect((await call('POST', retry, chefCiney)).status).toBe(403);
    expect((await call('POST', retry, chefSaj)).status).toBe(202);
    await eventually(() => Promise.resolve(about(caseId).length === 2));
    await eventually(async () => {
      const list = await call<Delivery[]>('GET', `${webhookPath}/deliveries`, chefSaj);
      return list.body.find((d) => d.id === dead?.id)?.status === 'delivered';
    });
    expect((await call<{ code: string }>('POST', retry, chefSaj)).status).toBe(404);
  });

  it('sends no webhook to an organisation without one', async () => {
    const before = receiver.received.length;
    const caseId = await aCaseWithTheSaj(call, as);
    await call('POST', `/api/v1/cases/${caseId}/events`, as, {
      type: 'FamilyRelocated',
      occurredOn: '2026-11-19',
      destinationCommune: '91114',
      effectiveOn: '2026-11-19',
    });
    // CPAS Rochefort is told (inbox) but has no webhook; the SAJ's goes out.
    await eventually(() => Promise.resolve(about(caseId).length === 1));
    expect(receiver.received.length - before).toBe(1);
    expect(about(caseId)[0]?.body).toContain('"to":"saj-dinant"');
    const { rows } = await relais.database.pool.query<{ recipient: string }>(
      "select recipient from outbox where channel = 'webhook' and message->'body'->'obligation'->>'caseId' = $1",
      [caseId],
    );
    expect(rows.map((r) => r.recipient)).toEqual(['saj-dinant']);
  });
});
