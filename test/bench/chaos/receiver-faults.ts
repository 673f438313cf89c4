// Scenario 4: the SMTP server and the SAJ's webhook receiver down, then slow (never answering,
// past Relais's timeouts), then failing (503, SMTP 451), while events are logged; then back:
// every notification delivered exactly once per channel and recipient, counted at the receivers
// by idempotency key (`webhook-id`; the e-mail's Message-ID).
import { apiOf, demoToken } from '../../support/api';
import { ReceiverMode, startFlakySmtp, startFlakyWebhook } from '../../support/receivers';
import type { StoreCheck } from './checks';
import { countDeliveries, DeliveryCount, emailKey, outboxDrained } from './deliveries';
import { Deployment, startDeployment } from './deployment';
import { load, LoadOutcome } from './load';

export interface ReceiverFaultsReport extends StoreCheck {
  readonly server: Deployment['server'];
  readonly load: LoadOutcome;
  /** Milliseconds of each phase, in order, before the receivers came back. */
  readonly phases: readonly { readonly mode: ReceiverMode; readonly ms: number }[];
  readonly refused: { readonly email: number; readonly webhook: number };
  /** From the receivers' return to the outbox drained. */
  readonly drainedAfterMs: number;
  readonly emails: DeliveryCount;
  readonly webhooks: DeliveryCount;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Slow lasts past both timeouts: a webhook's 10 s, an SMTP greeting's 10 s. */
export const PHASES: readonly { readonly mode: ReceiverMode; readonly ms: number }[] = [
  { mode: 'down', ms: 4000 },
  { mode: 'slow', ms: 12_000 },
  { mode: 'failing', ms: 5000 },
];

export async function receiverFaults(
  log: (line: string) => void = () => undefined,
  phases = PHASES,
): Promise<ReceiverFaultsReport> {
  const smtp = await startFlakySmtp(emailKey);
  const webhook = await startFlakyWebhook();
  const deployment = await startDeployment({
    apis: 1,
    workers: 1,
    env: { SMTP_URL: smtp.url },
  });
  try {
    const url = deployment.apiUrls[0] as string;
    const call = apiOf({ url });
    const chef = await demoToken(call, 'chef@saj-dinant.demo');
    const set = await call('PUT', '/api/v1/organisations/saj-dinant/webhook', chef, {
      url: webhook.url,
    });
    if (set.status !== 200) throw new Error(`the SAJ's webhook: ${set.status}`);
    const stop = { stopped: false };
    const running = load(() => deployment.apiUrls, deployment.token, deployment.caseIds, stop, {
      clients: 2,
      pauseMs: 100,
    });
    let backAt = 0;
    try {
      for (const phase of phases) {
        await Promise.all([smtp.mode(phase.mode), webhook.mode(phase.mode)]);
        log(`receivers ${phase.mode} for ${phase.ms} ms`);
        await sleep(phase.ms);
      }
      await Promise.all([smtp.mode('up'), webhook.mode('up')]);
      backAt = performance.now();
      log('receivers up');
      await sleep(2000);
    } finally {
      stop.stopped = true;
    }
    const outcome = await running;
    const check = await deployment.check(outcome.acknowledged);
    await outboxDrained(deployment.query, 'webhook', 180_000);
    await outboxDrained(deployment.query, 'email', 180_000);
    const drainedAfterMs = Math.round(performance.now() - backAt);
    log(`outbox drained ${drainedAfterMs} ms after the receivers came back`);
    await sleep(1000); // a duplicate, if any, would come now
    return {
      ...check,
      server: deployment.server,
      load: outcome,
      phases,
      refused: { email: smtp.refused(), webhook: webhook.refused() },
      drainedAfterMs,
      emails: await countDeliveries(deployment.query, 'email', smtp.accepted),
      webhooks: await countDeliveries(deployment.query, 'webhook', webhook.accepted),
    };
  } finally {
    await deployment.close();
    await smtp.close();
    await webhook.close();
  }
}
