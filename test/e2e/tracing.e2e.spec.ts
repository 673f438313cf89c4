import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aCaseWithTheSaj, apiOf, Call, demoToken } from '../support/api';
import { OtlpReceiver, ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver';
import { createTestDatabase } from '../support/postgres';
import { eventually } from '../support/relais-app';
import { freshSecrets } from '../support/secrets';
import { killRelaisProcesses, RelaisProcess, startRelaisProcess } from '../support/relais-process';

jest.setTimeout(90_000);

// A real process: the exporter loads node:http with import(), which jest's sandbox refuses.
describe('OpenTelemetry tracing, switched on by OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let collector: OtlpReceiver;
  let database: { url: string; drop(): Promise<void> };
  let keyring: string;
  let relais: RelaisProcess;
  let url: string;
  let call: Call;
  let as: string;

  beforeAll(async () => {
    collector = await startOtlpReceiver();
    database = await createTestDatabase();
    keyring = await mkdtemp(join(tmpdir(), 'relais-keyring-'));
    relais = startRelaisProcess({
      DATABASE_URL: database.url,
      ...freshSecrets(keyring),
      RELAIS_SEED_DEMO: 'always',
      RELAIS_POLL_INTERVAL_MS: '100',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'relais-test',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    url = await relais.listening;
    call = apiOf({ url });
    as = await demoToken(call, 'as@cpas-ciney.demo');
  });
  afterAll(async () => {
    killRelaisProcesses();
    await relais?.exited;
    await database?.drop();
    await rm(keyring, { recursive: true, force: true });
    await collector?.close();
  });

  /** The first span received that matches, once the batch holding it has been exported. */
  async function arrived(matches: (span: ReceivedSpan) => boolean): Promise<ReceivedSpan> {
    await eventually(() => Promise.resolve(collector.spans.some(matches)), 15_000);
    return collector.spans.find(matches)!;
  }

  const childrenOf = (parent: ReceivedSpan, name: RegExp) =>
    collector.spans.filter((s) => s.parentSpanId === parent.spanId && name.test(s.name));

  it('follows a logged event from the caller’s traceparent through the command to the append, and the engine’s batch that opens its obligation', async () => {
    const caseId = await aCaseWithTheSaj(call, as);
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const answer = await fetch(`${url}/api/v1/cases/${caseId}/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${as}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({
        type: 'RisSuppressed',
        occurredOn: '2026-11-20',
        reason: 'resources_above_threshold',
        effectiveOn: '2026-12-01',
      }),
    });
    expect(answer.status).toBe(201);

    const server = await arrived((s) => s.traceId === traceId && s.parentSpanId === callerSpanId);
    expect(server).toMatchObject({
      name: 'POST /api/v1/cases/:id/events',
      serviceName: 'relais-test',
      attributes: { 'http.route': '/api/v1/cases/:id/events', 'http.response.status_code': 201 },
    });
    const [command] = childrenOf(server, /^command case$/);
    expect(command?.attributes).toMatchObject({
      'relais.stream.category': 'case',
      'relais.events': ['RisSuppressed'],
    });
    const [append] = childrenOf(command!, /^append case$/);
    expect(append?.attributes).toMatchObject({ 'relais.events': ['RisSuppressed'] });

    // The engine's batch runs later, in its own trace, and its appends are its children.
    await arrived(
      (batch) =>
        batch.name === 'processor protocol-engine' &&
        childrenOf(batch, /^append obligation$/).length > 0,
    );
  });

  it('sends no id of a case and no personal data in what it exports', async () => {
    const caseId = await aCaseWithTheSaj(call, as);
    await call('GET', `/api/v1/cases/${caseId}`, as);
    await arrived((s) => s.attributes['http.route'] === '/api/v1/cases/:id');
    const exported = collector.bodies.join('\n');
    expect(exported).not.toContain(caseId);
    expect(exported).not.toMatch(/Dumont|Céline|C\\u00e9line/);
    expect(exported).not.toContain('as@cpas-ciney.demo');
  });
});
