import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { Database } from '@relais/database';
import {
  Channel,
  Delivery,
  DeliveryLane,
  DeliveryOutcome,
  EmailSender,
  Outbox,
  Senders,
  WebhookRegistry,
  WebhookSender,
} from '@relais/delivery';
import { meetingStreamId, minutesDeliveryEvent } from '@relais/coordination';
import { obligationStreamId } from '@relais/domain';
import { Metrics } from '@relais/metrics';
import { deliveryEvent } from '../obligation-stream';
import { currentContacts } from '../inbox/inbox';
import { withContacts } from '../outbox-entries';
import {
  appendDecided,
  CommitNotifier,
  EVENT_STORE,
  TransactionalEventStore,
} from '@relais/event-store';
import { Clock, CLOCK, correlationField } from '@relais/kernel';
import { ClientBase, Pool } from 'pg';

const POLL_MS = 500;

/**
 * Sends the outbox: e-mails over SMTP and webhooks over HTTPS, retried with backoff after an
 * outage and dead-lettered after a day. Each channel is a lane of its own with a bounded number of
 * sends in flight, each leased, sent outside any transaction, and its outcome written on the
 * obligation's stream (dispatched, or delivery failed), or for approved minutes on the meeting's,
 * in the short transaction that records it in the outbox. Without SMTP_URL, e-mails wait in the outbox.
 */
@Injectable()
export class DeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Delivery');
  private readonly lanes: DeliveryLane[] = [];
  private email: EmailSender | undefined;
  private readonly outbox: Outbox;
  private readonly pool: Pool;

  constructor(
    database: Database,
    private readonly webhooks: WebhookRegistry,
    @Inject(EVENT_STORE) private readonly store: TransactionalEventStore,
    private readonly notifier: CommitNotifier,
    @Inject(RELAIS_CONFIG) private readonly config: RelaisConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.outbox = new Outbox(database.pool);
    this.pool = database.pool;
  }

  onApplicationBootstrap(): void {
    const now = () => this.clock.now();
    const webhook = new WebhookSender(this.webhooks, now, { allow: this.config.webhookAllow });
    this.lane('webhook', {
      webhook: async (delivery) => webhook.send(await this.asSentNow(delivery)),
    });
    if (this.config.smtpUrl) {
      const email = new EmailSender(
        this.config.smtpUrl,
        this.config.mailFrom,
        this.config.deliveryConcurrency.email,
      );
      this.email = email;
      this.lane('email', {
        email: async (delivery) =>
          email.send((await this.asSentNow(delivery)).message, delivery.id),
      });
    } else {
      this.logger.log('SMTP_URL is not set: e-mails wait in the outbox');
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.stop()));
    this.email?.close();
  }

  private lane(channel: Channel, senders: Senders): void {
    const lane = new DeliveryLane(this.outbox, channel, senders, {
      concurrency: this.config.deliveryConcurrency[channel],
      pollMs: POLL_MS,
      now: () => this.clock.now(),
      record: (client, outcome) => this.record(client, outcome),
      onRecorded: () => this.notifier.signal(),
      onError: (error) => this.logger.warn(`${channel} delivery round failed: ${error.message}`),
    });
    this.lanes.push(lane);
    lane.start();
  }

  /** The delivery with the contacts its notification shares now (see `withContacts`). */
  private async asSentNow<D extends Delivery>(delivery: D): Promise<D> {
    const contacts = await currentContacts(this.pool, delivery.obligationId);
    return contacts === undefined ? delivery : (withContacts(delivery, contacts) as D);
  }

  private async record(client: ClientBase, outcome: DeliveryOutcome): Promise<void> {
    const { delivery } = outcome;
    // Minutes go out through the same outbox; their outcome is recorded on the meeting's stream.
    const minutes = delivery.source === 'minutes';
    const stream = minutes
      ? meetingStreamId(delivery.obligationId)
      : obligationStreamId(delivery.obligationId);
    const event = minutes ? minutesDeliveryEvent(outcome) : deliveryEvent(outcome);
    this.metrics?.outboxAttempts.inc({
      channel: delivery.channel,
      outcome: outcome.delivered ? 'delivered' : outcome.deadLettered ? 'dead_lettered' : 'failed',
    });
    if (!outcome.delivered) {
      this.logger.warn(
        `${delivery.channel} delivery ${delivery.id} failed (attempt ${delivery.attempt}): ${outcome.reason}` +
          (outcome.deadLettered ? '; dead-lettered' : ''),
      );
    }
    await appendDecided(
      this.store.within(client),
      stream,
      [event],
      {
        actor: 'delivery',
        idempotencyKey: `${delivery.id}:${event.type}:${delivery.attempt}`,
        content: null,
      },
      {
        metadata: {
          actor: 'delivery',
          ...correlationField(delivery.correlationId),
        },
        expectedVersion: 'any',
        recordedAt: this.clock.now(),
      },
    );
  }
}
