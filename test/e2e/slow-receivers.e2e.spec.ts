import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Notification } from '@relais/wire';
import { aCaseWithTheSaj, apiOf, Call } from '../support/api';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

/** The bound: a notification is in its recipient's inbox within a second of its 201. */
const INBOX_WITHIN_MS = 1000;
/** How long the measure waits, so that a failure shows the delay rather than a timeout. */
const MEASURE_UP_TO_MS = 60_000;

/** A partner's system on loopback that accepts each request and never answers it. */
async function startHangingWebhook(): Promise<{
  url: string;
  requests: () => number;
  close(): Promise<void>;
}> {
  const held: ServerResponse[] = [];
  const server: Server = createServer((_request, response) => held.push(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/relais/webhook`,
    requests: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An SMTP server on loopback that accepts each connection and never says a word on it. */
async function startHangingSmtp(): Promise<{
  url: string;
  connections: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 100,
    onConnect() {
      connections++; // and the callback that would send the greeting is never called
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * One organisation's receiver hangs; another organisation's notification must not wait for it.
 * The SAJ Dinant is told of a RIS suppression through the hanging receiver; while that send is in
 * flight, the SAJ changes the aid programme on another case and CPAS Ciney's inbox is timed.
 */
describe('a receiver that never answers holds up no one else', () => {
  let relais: TestRelais;
  let call: Call;
  let asCiney: string;
  let delegue: string;

  async function start(env: Record<string, string>): Promise<void> {
    relais = await startTestRelais(env);
    call = apiOf(relais);
    asCiney = await relais.token('as@cpas-ciney.demo');
    delegue = await relais.token('delegue1@saj-dinant.demo');
  }

  async function logRisSuppressionForTheSaj(): Promise<void> {
    const caseId = await aCaseWithTheSaj(call, asCiney);
    const logged = await call('POST', `/api/v1/cases/${caseId}/events`, asCiney, {
      type: 'RisSuppressed',
      occurredOn: '2026-11-20',
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });
    expect(logged.status).toBe(201);
  }

  /** Milliseconds from the 201 of an aid programme change to its notification in CPAS Ciney's inbox. */
  async function msUntilCineyIsTold(): Promise<number> {
    const caseId = await aCaseWithTheSaj(call, asCiney);
    const logged = await call('POST', `/api/v1/cases/${caseId}/events`, delegue, {
      type: 'AidProgrammeChanged',
      occurredOn: '2026-11-20',
      programme: 'in_family_support',
    });
    expect(logged.status).toBe(201);
    const answeredAt = performance.now();
    await eventually(async () => {
      const inbox = await call<Notification[]>('GET', '/api/v1/inbox', asCiney);
      return inbox.body.some(
        (n) => n.caseId === caseId && n.ruleId === 'saj-aid-programme-changed',
      );
    }, MEASURE_UP_TO_MS);
    return performance.now() - answeredAt;
  }

  describe('a webhook', () => {
    let receiver: Awaited<ReturnType<typeof startHangingWebhook>>;

    beforeAll(async () => {
      receiver = await startHangingWebhook();
      await start({});
      const chefSaj = await relais.token('chef@saj-dinant.demo');
      const set = await call('PUT', '/api/v1/organisations/saj-dinant/webhook', chefSaj, {
        url: receiver.url,
      });
      expect(set.status).toBe(200);
    });
    afterAll(async () => {
      await relais.close();
      await receiver.close();
    });

    it('leaves another organisation’s notification to reach its inbox in under a second', async () => {
      await logRisSuppressionForTheSaj();
      await eventually(() => Promise.resolve(receiver.requests() > 0));
      const ms = await msUntilCineyIsTold();
      expect(ms).toBeLessThan(INBOX_WITHIN_MS);
      expect(receiver.requests()).toBe(1); // the measure was taken while that one request hung
    });
  });

  describe('an SMTP server', () => {
    let smtp: Awaited<ReturnType<typeof startHangingSmtp>>;

    beforeAll(async () => {
      smtp = await startHangingSmtp();
      await start({ SMTP_URL: smtp.url });
    });
    afterAll(async () => {
      await relais.close();
      await smtp.close();
    });

    it('leaves another organisation’s notification to reach its inbox in under a second', async () => {
      await logRisSuppressionForTheSaj();
      await eventually(() => Promise.resolve(smtp.connections() > 0));
      const ms = await msUntilCineyIsTold();
      expect(ms).toBeLessThan(INBOX_WITHIN_MS);
    });
  });
});
