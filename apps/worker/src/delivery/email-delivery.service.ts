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
import { Clock, CLOCK } from '@relais/platform';

const POLL_MS = 500;

/**
 * Sends the outbox's e-mails over SMTP, retrying with backoff after an outage. Without SMTP_URL
 * nothing is sent and e-mails wait in the outbox.
 */
@Injectable()
export class EmailDeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EmailDelivery');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private sender: EmailSender | undefined;
  private stopped = false;

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
    const tick = () => {
      this.running = outbox
        .deliverDue(
          (message, key) => sender.send(message, key),
          () => this.clock.now(),
        )
        .then(
          () => undefined,
          (error: Error) => this.logger.warn(`delivery round failed: ${error.message}`),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, POLL_MS);
        });
    };
    tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.sender?.close();
  }
}
