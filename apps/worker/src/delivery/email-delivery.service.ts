import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { RELAIS_CONFIG, RelaisConfig } from '@relais/config';
import { Database } from '@relais/database';
import { EmailSender, Outbox } from '@relais/delivery';
import { Clock, CLOCK, poll, Polling } from '@relais/platform';

const POLL_MS = 500;

/**
 * Sends the outbox's e-mails over SMTP, retrying with backoff after an outage. Without SMTP_URL
 * nothing is sent and e-mails wait in the outbox.
 */
@Injectable()
export class EmailDeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EmailDelivery');
  private polling: Polling | undefined;
  private sender: EmailSender | undefined;

  constructor(
    private readonly database: Database,
    @Inject(RELAIS_CONFIG) private readonly config: RelaisConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.smtpUrl) {
      this.logger.log('SMTP_URL is not set: e-mails wait in the outbox');
      return;
    }
    const sender = new EmailSender(this.config.smtpUrl, this.config.mailFrom);
    this.sender = sender;
    const outbox = new Outbox(this.database.pool);
    this.polling = poll(
      () =>
        outbox.deliverDue(
          (message, key) => sender.send(message, key),
          () => this.clock.now(),
        ),
      POLL_MS,
      (error) => this.logger.warn(`delivery round failed: ${error.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.polling?.stop();
    this.sender?.close();
  }
}
