import { randomUUID } from 'node:crypto';
import { AddressInfo, Socket } from 'node:net';
import { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { EmailSender } from './email';

interface Received {
  readonly key: string | undefined;
  readonly secure: boolean;
}

/** A real SMTP server on loopback, with smtp-server's own self-signed certificate for TLS. */
async function startSmtp(
  options: SMTPServerOptions,
  port = 0,
): Promise<{
  port: number;
  received: Received[];
  connections: () => number;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    ...options,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        const key = /^X-Relais-Idempotency-Key: (.*)\r$/m.exec(raw)?.[1];
        received.push({ key, secure: session.secure });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const aMessage = (i: number) => ({
  to: 'contact@saj-dinant.demo',
  subject: `[Relais] Message ${i}`,
  text: 'Bonjour,\n'.repeat(50),
});

describe('the e-mail sender', () => {
  let noDelay: jest.SpiedFunction<Socket['setNoDelay']>;
  beforeEach(() => (noDelay = jest.spyOn(Socket.prototype, 'setNoDelay')));
  afterEach(() => noDelay.mockRestore());

  /** The client sockets to `port` on which Nagle's algorithm was turned off. */
  const withoutDelayTo = (port: number) =>
    new Set(
      (noDelay.mock.contexts as Socket[]).filter(
        (socket, i) => socket.remotePort === port && noDelay.mock.calls[i]?.[0] === true,
      ),
    );

  it.each<[string, 'smtp' | 'smtps', SMTPServerOptions, boolean]>([
    ['plain SMTP', 'smtp', { disabledCommands: ['STARTTLS'] }, false],
    ['STARTTLS', 'smtp', {}, true],
    ['SMTPS', 'smtps', { secure: true }, true],
  ])(
    'sends each message once over %s on a pool of two connections, each with Nagle off',
    async (_, scheme, serverOptions, secure) => {
      const smtp = await startSmtp(serverOptions);
      const sender = new EmailSender(
        `${scheme}://127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false`,
        'relais@relais.demo',
        2,
      );
      try {
        const keys = Array.from({ length: 8 }, () => randomUUID());
        await Promise.all(keys.map((key, i) => sender.send(aMessage(i), key)));

        expect(smtp.received.map((m) => m.key).sort()).toEqual([...keys].sort());
        expect(smtp.received.every((m) => m.secure === secure)).toBe(true);
        expect(smtp.connections()).toBeGreaterThanOrEqual(1);
        expect(smtp.connections()).toBeLessThanOrEqual(2);
        expect(withoutDelayTo(smtp.port).size).toBe(smtp.connections());
      } finally {
        sender.close();
        await smtp.close();
      }
    },
  );

  it('fails the send when the server refuses the connection', async () => {
    const smtp = await startSmtp({});
    await smtp.close();
    const sender = new EmailSender(`smtp://127.0.0.1:${smtp.port}`, 'relais@relais.demo');
    try {
      await expect(sender.send(aMessage(0), randomUUID())).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      sender.close();
    }
  });

  it('sends again once a server that refused more connections than the pool holds is back', async () => {
    const smtp = await startSmtp({ disabledCommands: ['STARTTLS'] });
    const { port } = smtp;
    await smtp.close();
    const sender = new EmailSender(`smtp://127.0.0.1:${port}`, 'relais@relais.demo', 2);
    let back: Awaited<ReturnType<typeof startSmtp>> | undefined;
    try {
      // Each refused connection used to stay in nodemailer's pool as a busy slot for good.
      for (let i = 0; i < 4; i++) {
        await expect(sender.send(aMessage(i), randomUUID())).rejects.toThrow(/ECONNREFUSED/);
      }
      back = await startSmtp({ disabledCommands: ['STARTTLS'] }, port);
      const key = randomUUID();
      const sent = sender.send(aMessage(9), key);
      const bound = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('no answer in 5 s')), 5000).unref(),
      );
      await Promise.race([sent, bound]);
      expect(back.received.map((m) => m.key)).toEqual([key]);
    } finally {
      sender.close();
      await back?.close();
    }
  });
});
