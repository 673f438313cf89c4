import type { Notification } from '@relais/wire';
import { aCaseWithTheSaj, apiOf, Call } from '../support/api';
import { startHangingSmtp, startHangingWebhook } from '../support/receivers';
import { eventually, startTestRelais, TestRelais } from '../support/relais-app';

jest.setTimeout(120_000);

/** The bound: a notification is in its recipient's inbox within a second of its 201. */
const INBOX_WITHIN_MS = 1000;
/** How long the measure waits, so that a failure shows the delay rather than a timeout. */
const MEASURE_UP_TO_MS = 60_000;

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
