import { createTransport, Transporter } from 'nodemailer';
import { EmailMessage } from './outbox';

/** E-mail over SMTP; the outbox key travels as a header so a receiving system can drop duplicates. */
export class EmailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(smtpUrl);
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
