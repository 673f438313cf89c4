import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { Database } from '@relais/database';
import {
  DeliveryOutcome,
  EmailSender,
  Outbox,
  Senders,
  WebhookRegistry,
  WebhookSender,
} from '@relais/delivery';
import { ObligationEvent, obligationStreamId } from '@relais/domain';
import { CommitNotifier, PostgresEventStore } from '@relais/event-store';
import { Clock, CLOCK, poll, Polling, uuidFromName } from '@relais/platform';
import { ClientBase } from 'pg';

const POLL_MS = 500;

/**
 * Sends the outbox: e-mails over SMTP and webhooks over HTTPS, retried with backoff after an
 * outage and dead-lettered after a day. Each outcome is written on the obligation's stream
 * (dispatched, or delivery failed) in the transaction that records it in the outbox. Without
 * SMTP_URL, e-mails wait in the outbox.
 */
@Injectable()
export class DeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Delivery');
  private polling: Polling | undefined;
  private email: EmailSender | undefined;
  private readonly outbox: Outbox;

  constructor(
    database: Database,
    private readonly webhooks: WebhookRegistry,
    private readonly store: PostgresEventStore,
    private readonly notifier: CommitNotifier,
    @Inject(RELAIS_CONFIG) private readonly config: RelaisConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.outbox = new Outbox(database.pool);
  }

  onApplicationBootstrap(): void {
    const now = () => this.clock.now();
    const webhook = new WebhookSender(this.webhooks, now, { allow: this.config.webhookAllow });
    const senders: { -readonly [C in keyof Senders]: Senders[C] } = {
      webhook: (delivery) => webhook.send(delivery),
    };
    if (this.config.smtpUrl) {
      const email = new EmailSender(this.config.smtpUrl, this.config.mailFrom);
      this.email = email;
      senders.email = (delivery) => email.send(delivery.message, delivery.id);
    } else {
      this.logger.log('SMTP_URL is not set: e-mails wait in the outbox');
    }
    this.polling = poll(
      async () => {
        const handled = await this.outbox.deliverDue(senders, now, (client, outcome) =>
          this.record(client, outcome),
        );
        if (handled > 0) this.notifier.signal();
      },
      POLL_MS,
      (error) => this.logger.warn(`delivery round failed: ${error.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.polling?.stop();
    this.email?.close();
  }

  private async record(client: ClientBase, outcome: DeliveryOutcome): Promise<void> {
    const { delivery } = outcome;
    const base = {
      obligationId: delivery.obligationId,
      channel: delivery.channel,
      deliveryId: delivery.id,
      attempt: delivery.attempt,
    };
    const event: ObligationEvent = outcome.delivered
      ? { type: 'ObligationDispatched', data: base }
      : {
          type: 'ObligationDeliveryFailed',
          data: { ...base, reason: outcome.reason, deadLettered: outcome.deadLettered },
        };
    if (!outcome.delivered) {
      this.logger.warn(
        `${delivery.channel} delivery ${delivery.id} failed (attempt ${delivery.attempt}): ${outcome.reason}` +
          (outcome.deadLettered ? '; dead-lettered' : ''),
      );
    }
    await this.store.within(client).append(
      obligationStreamId(delivery.obligationId),
      [
        {
          eventId: uuidFromName(`${delivery.id}:${event.type}:${delivery.attempt}`),
          ...event,
          metadata: { actor: 'delivery' },
        },
      ],
      { expectedVersion: 'any', recordedAt: this.clock.now() },
    );
  }
}
