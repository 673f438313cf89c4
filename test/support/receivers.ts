import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerOptions } from 'smtp-server';

/** A message as an SMTP receiver took it: envelope recipients, raw text, when it arrived. */
export interface ReceivedMail {
  readonly to: string[];
  readonly raw: string;
  /** `performance.now()` when the message's data ended. */
  readonly at: number;
}

export interface SmtpReceiver {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback, keeping every message it accepts in `received` (pass the list of
 * an earlier receiver, and its port, to start it again after an outage).
 */
export async function startSmtpReceiver(
  port = 0,
  received: ReceivedMail[] = [],
): Promise<SmtpReceiver> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          at: performance.now(),
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined); // a client killed mid-message resets its connection
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    port: bound,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Quoted-printable soft line breaks and escapes undone, enough to search a mail's French text. */
export const decoded = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/(=[0-9A-F]{2})+/g, (match) =>
      Buffer.from(match.replace(/=/g, ''), 'hex').toString('utf8'),
    );

/** A test's SMTP server: no authentication, no TLS, no look-ups, no log. */
const LOOPBACK_SMTP: SMTPServerOptions = {
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true,
  logger: false,
};

/** An SMTP server on loopback that accepts each connection and never says a word on it. */
export async function startHangingSmtp(): Promise<{
  url: string;
  connections: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const server = new SMTPServer({
    ...LOOPBACK_SMTP,
    closeTimeout: 100,
    onConnect() {
      connections++; // and the callback that would send the greeting is never called
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A partner's system on loopback that accepts each request and never answers it. */
export async function startHangingWebhook(): Promise<{
  url: string;
  requests: () => number;
  close(): Promise<void>;
}> {
  const held: ServerResponse[] = [];
  const server: Server = createServer((_request, response) => held.push(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/relais/webhook`,
    requests: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** How a receiver that an operator does not control behaves: the phases of scenario 4. */
export type ReceiverMode = 'up' | 'down' | 'slow' | 'failing';

export interface FlakyReceiver {
  readonly url: string;
  /** The idempotency key of each delivery accepted while up, in order (duplicates kept). */
  readonly accepted: string[];
  /** Deliveries refused or held while failing or slow. */
  readonly refused: () => number;
  /** Up: accepts; down: nothing listens on its port; slow: never answers; failing: 5xx / SMTP 4xx. */
  mode(mode: ReceiverMode): Promise<void>;
  close(): Promise<void>;
}

/**
 * A partner's webhook receiver on loopback, on one port whatever its mode; it keeps the
 * Standard Webhooks `webhook-id` of every delivery it answered 2xx.
 */
export async function startFlakyWebhook(): Promise<FlakyReceiver> {
  let current: ReceiverMode = 'up';
  let refused = 0;
  const accepted: string[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (current === 'slow') {
        refused++;
        held.push(response); // past Relais's timeout: it gives up and tries again later
      } else if (current === 'failing') {
        refused++;
        response.writeHead(503).end();
      } else {
        accepted.push(String(request.headers['webhook-id']));
        response.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const response of held.splice(0)) response.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/relais/webhook`,
    accepted,
    refused: () => refused,
    mode: async (mode) => {
      current = mode;
      for (const response of held.splice(0)) response.destroy();
      if (mode === 'down' && server.listening) await close();
      if (mode !== 'down' && !server.listening) {
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
    },
    close: () => (server.listening ? close() : Promise.resolve()),
  };
}

/**
 * An SMTP server on loopback, on one port whatever its mode: slow never greets, failing answers
 * each message `451` (try again later); it keeps the Message-ID of every message it accepted.
 */
export async function startFlakySmtp(keyOf: (mail: ReceivedMail) => string | undefined) {
  let current: ReceiverMode = 'up';
  let refused = 0;
  const accepted: string[] = [];
  const serve = async (port: number) => {
    const server = new SMTPServer({
      ...LOOPBACK_SMTP,
      closeTimeout: 100,
      onConnect(_session, callback) {
        if (current === 'slow') refused++;
        else callback(); // slow: the greeting never comes
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (current === 'failing') {
            refused++;
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          accepted.push(
            keyOf({ to: session.envelope.rcptTo.map((r) => r.address), raw, at: 0 }) ?? '?',
          );
          callback();
        });
      },
    });
    server.on('error', () => undefined); // a client killed mid-message resets its connection
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return server;
  };
  let server: SMTPServer | undefined = await serve(0);
  const port = (server.server.address() as AddressInfo).port;
  const close = async () => {
    const closing = server;
    server = undefined;
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  const receiver: FlakyReceiver = {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    refused: () => refused,
    mode: async (mode) => {
      const was = current;
      current = mode;
      if (mode === 'down' || was === 'slow') await close(); // drops the held connections
      if (mode !== 'down' && !server) server = await serve(port);
    },
    close,
  };
  return receiver;
}
