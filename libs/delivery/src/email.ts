import { createTransport, Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { EmailMessage } from './outbox';

/**
 * Bounds on a server that stops answering, well inside the outbox's lease; a query in SMTP_URL
 * (`?socketTimeout=60000`) may set others.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/**
 * E-mail over SMTP on a pool of up to `connections` connections, kept open between messages; the
 * outbox key travels as a header so a receiving system can drop duplicates.
 */
export class EmailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    connections = 1,
  ) {
    this.transport = createTransport({
      ...TIMEOUTS,
      ...parseConnectionUrl(smtpUrl),
      pool: true,
      maxConnections: connections,
    });
  }

  async send(message: EmailMessage, idempotencyKey: string): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      headers: { 'X-Relais-Idempotency-Key': idempotencyKey },
      messageId: `<${idempotencyKey}@relais>`,
    });
  }

  close(): void {
    this.transport.close();
  }
}
