import { ProcessorHost } from '@relais/event-store';
import { aCaseWithTheSaj, apiOf, Call } from '../support/api';
import { startFlakyWebhook } from '../support/receivers';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(60_000);

const TOKEN = 'metrics-token-of-at-least-thirty-two-chars';

/** One sample's value from Prometheus's text format, by name and exact labels. */
function valueOf(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

/** Logs a RIS suppression on the case in a request with the given `X-Request-Id`. */
function logUnder(relais: TestRelais, token: string, caseId: string, requestId: string) {
  return fetch(`${relais.url}/api/v1/cases/${caseId}/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-request-id': requestId,
    },
    body: JSON.stringify({
      type: 'RisSuppressed',
      occurredOn: '2026-11-19',
      reason: 'other',
      effectiveOn: '2026-11-19',
    }),
  });
}

describe('GET /metrics', () => {
  let relais: TestRelais;
  let call: Call;
  let as: string;
  const scrape = (authorization?: string) =>
    fetch(`${relais.url}/metrics`, {
      headers: authorization === undefined ? {} : { authorization },
    });

  beforeAll(async () => {
    relais = await startTestRelais({ RELAIS_METRICS_TOKEN: TOKEN });
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
  });
  afterAll(() => relais.close());

  it('answers a scraper with the token only', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('Bearer another-token-of-at-least-thirty-two-c')).status).toBe(401);
    const answer = await scrape(`Bearer ${TOKEN}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
  });

  it('times requests by route pattern and status, and counts appends, never with an id in a label', async () => {
    const caseId = await aCaseWithTheSaj(call, as);
    await call('GET', `/api/v1/cases/${caseId}`, as);
    await call('GET', '/api/v1/cases/not-a-case', as);
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(
      valueOf(
        text,
        'relais_http_request_duration_seconds_count',
        '{method="GET",route="/api/v1/cases/:id",status="200"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(caseId);
    expect(
      valueOf(text, 'relais_event_store_appends_total', '{outcome="written"}'),
    ).toBeGreaterThan(0);
    expect(text).toMatch(/relais_processor_batch_duration_seconds_count\{processor="inbox"\} \d+/);
    expect(valueOf(text, 'relais_outbox_pending', '{channel="email"}')).toBeGreaterThanOrEqual(0);
    expect(valueOf(text, 'relais_obligations', '{status="open"}')).toBeGreaterThan(0);
  });

  it('shows a processor’s lag, in events and seconds, rising while it is stopped', async () => {
    const lagOf = async (processor: string) => {
      const text = await (await scrape(`Bearer ${TOKEN}`)).text();
      return {
        events: valueOf(text, 'relais_processor_lag_events', `{processor="${processor}"}`) ?? NaN,
        seconds: valueOf(text, 'relais_processor_lag_seconds', `{processor="${processor}"}`) ?? NaN,
      };
    };
    await eventually(async () => (await lagOf('inbox')).events === 0);
    const host = relais.app.get(ProcessorHost);
    await host.onModuleDestroy();
    await aCaseWithTheSaj(call, as);
    const first = await lagOf('inbox');
    expect(first.events).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await aCaseWithTheSaj(call, as);
    const later = await lagOf('inbox');
    expect(later.events).toBeGreaterThan(first.events);
    expect(later.seconds).toBeGreaterThan(first.seconds);
    expect(later.seconds).toBeGreaterThanOrEqual(1);
  });

  it('carries the request id into the events it appended, as their correlationId', async () => {
    const caseId = await aCaseWithTheSaj(call, as);
    const answer = await logUnder(relais, as, caseId, 'req-observability-1');
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-request-id')).toBe('req-observability-1');
    const { eventIds } = (await answer.json()) as { eventIds: string[] };
    const { rows } = await relais.database.pool.query<{ correlation: string }>(
      "select metadata ->> 'correlationId' as correlation from events where event_id = $1",
      [eventIds[0]],
    );
    expect(rows).toEqual([{ correlation: 'req-observability-1' }]);
  });
});

// The processors stay running here: the describe above stops them.
describe('The correlation id', () => {
  let relais: TestRelais;
  let call: Call;
  let as: string;

  beforeAll(async () => {
    relais = await startTestRelais();
    call = apiOf(relais);
    as = await relais.token('as@cpas-ciney.demo');
  });
  afterAll(() => relais.close());

  it('goes on from the request into the notifications it opened and the worker’s log lines about them', async () => {
    const receiver = await startFlakyWebhook();
    try {
      await receiver.mode('failing');
      const chef = await relais.token('chef@saj-dinant.demo');
      const set = await call('PUT', '/api/v1/organisations/saj-dinant/webhook', chef, {
        url: receiver.url,
      });
      expect(set.status).toBe(200);
      const caseId = await aCaseWithTheSaj(call, as);
      const answer = await logUnder(relais, as, caseId, 'req-observability-2');
      expect(answer.status).toBe(201);
      const { eventIds } = (await answer.json()) as { eventIds: string[] };
      let opened: { correlation: string }[] = [];
      await eventually(async () => {
        ({ rows: opened } = await relais.database.pool.query<{ correlation: string }>(
          `select metadata ->> 'correlationId' as correlation from events
           where type = 'ObligationOpened' and metadata ->> 'causationId' = $1`,
          [eventIds[0]],
        ));
        return opened.length > 0;
      });
      expect(opened.every((o) => o.correlation === 'req-observability-2')).toBe(true);
      await eventually(() =>
        Promise.resolve(
          relais.logger
            .entries()
            .some(
              (e) =>
                /^webhook delivery .* failed/.test(e.message ?? '') &&
                e.correlationId === 'req-observability-2',
            ),
        ),
      );
    } finally {
      await receiver.close();
    }
  });
});
