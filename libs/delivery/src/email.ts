import { connect, Socket } from 'node:net';
import { createTransport, Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
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
  private transport: Transporter;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
    private readonly connections = 1,
  ) {
    this.transport = this.pool();
  }

  /**
   * A pool of connections. When a connection cannot be opened, nodemailer's pool fails the send
   * but keeps that connection's slot busy for good: after as many refusals as it has slots, every
   * later message would wait in its queue forever (`npm run chaos`, scenario 4). So the pool that
   * saw a refusal is replaced, and closed once the failed send has been told: what it still
   * queued fails too, and the outbox tries it again.
   */
  private pool(): Transporter {
    const transport: Transporter = createTransport({
      ...TIMEOUTS,
      ...parseConnectionUrl(this.smtpUrl),
      pool: true,
      maxConnections: this.connections,
      getSocket: (options: SMTPPool.Options, callback: SocketCallback) =>
        connectWithoutDelay(options, (error, socketOptions) => {
          if (error && this.transport === transport) {
            this.transport = this.pool();
            setImmediate(() => transport.close());
          }
          callback(error, socketOptions);
        }),
    });
    return transport;
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

/**
 * Opens the TCP connection under each pooled SMTP connection with Nagle's algorithm off: the
 * message's last small write (`\r\n.\r\n`) would otherwise wait for the server's delayed ACK,
 * about 40 ms a message on Linux. Nodemailer still speaks TLS over it (`smtps:`, STARTTLS).
 */
type SocketCallback = (error: Error | null, socketOptions?: { connection: Socket }) => void;

function connectWithoutDelay(options: SMTPPool.Options, callback: SocketCallback): void {
  const socket = connect({
    host: options.host ?? 'localhost',
    port: Number(options.port) || (options.secure ? 465 : 587),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  socket.setNoDelay(true);
  socket.setKeepAlive(true);
  const timer = setTimeout(
    () => socket.destroy(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })),
    options.connectionTimeout ?? TIMEOUTS.connectionTimeout,
  );
  const failed = (error: Error) => {
    clearTimeout(timer);
    callback(error);
  };
  socket.once('error', failed);
  socket.once('connect', () => {
    clearTimeout(timer);
    socket.off('error', failed);
    callback(null, { connection: socket });
  });
}
