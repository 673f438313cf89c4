import { Client, ClientConfig } from 'pg';
import { NOTIFY_CHANNEL } from './event-store.migrations';

/**
 * Wakes readers when appends commit: each process LISTENs on one connection and, after its own
 * appends commit, sends NOTIFYs on it, at most one in flight (appends during a send are covered
 * by one more). Readers still poll: a notification can be lost while reconnecting, and a
 * rolled-back transaction that held the read barrier back sends none when it ends.
 */
export class CommitNotifier {
  private client: Client | undefined;
  private waiters = new Set<() => void>();
  private stopped = false;
  private notifications = 0;
  private sending = false;
  private pending = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: ClientConfig,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Tells every listening process, this one included, that appends have committed. */
  signal(): void {
    if (this.sending) {
      this.pending = true;
      return;
    }
    this.sending = true;
    void this.send().finally(() => (this.sending = false));
  }

  private async send(): Promise<void> {
    do {
      this.pending = false;
      const client = this.client;
      if (!client) return;
      await client.query(`notify ${NOTIFY_CHANNEL}`).catch(() => undefined);
    } while (this.pending);
  }

  /** Count of notifications so far: take it before a read, pass it to `wait` so none is missed in between. */
  get generation(): number {
    return this.notifications;
  }

  /**
   * Resolves at the next commit notification (at once if one came after `since`), after
   * `timeoutMs` at the latest, or when `signal` aborts.
   */
  wait(timeoutMs: number, signal?: AbortSignal, since = this.notifications): Promise<void> {
    return new Promise((resolve) => {
      if (since !== this.notifications) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done);
      this.waiters.add(done);
      if (signal?.aborted) done();
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private async connect(): Promise<void> {
    const client = new Client(this.connection);
    client.on('notification', () => {
      this.notifications++;
      this.wakeAll();
    });
    client.on('error', (error) => {
      this.log(`commit notifications lost (${error.message}); reconnecting`);
      this.client = undefined;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`listen ${NOTIFY_CHANNEL}`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch(() => this.scheduleReconnect());
    }, 1000);
  }
}
