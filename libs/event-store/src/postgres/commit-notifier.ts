import { Client, ClientConfig } from 'pg';
import { NOTIFY_CHANNEL } from './event-store.migrations';

/** The most a reader in another process waits for a commit it was not polling for. */
const NOTIFY_WINDOW_MS = 5;

/**
 * Wakes readers when appends commit. A transaction that sends NOTIFY takes a database-wide lock
 * while it commits, so appends do not notify themselves: each process LISTENs on one connection
 * and, after its own appends commit, wakes its readers directly and the other processes with at
 * most one NOTIFY per window. Readers still poll: a notification can be lost while reconnecting,
 * and a rolled-back transaction that held the read barrier back sends none when it ends.
 */
export class CommitNotifier {
  private client: Client | undefined;
  private waiters = new Set<() => void>();
  private stopped = false;
  private notifications = 0;
  private scheduled: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: ClientConfig,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private notifying = false;
  private notifyAgain = false;

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.scheduled);
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /**
   * Says that appends of this process have committed: wakes its own readers at once, and the
   * other processes through one NOTIFY per `NOTIFY_WINDOW_MS` at most.
   */
  signal(): void {
    this.wake();
    if (this.scheduled) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.notifyOthers();
    }, NOTIFY_WINDOW_MS);
  }

  /** One NOTIFY at a time on the listening connection: one asked for meanwhile follows it. */
  private notifyOthers(): void {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    const client = this.client;
    if (!client) return;
    this.notifying = true;
    void client
      .query(`notify ${NOTIFY_CHANNEL}`)
      .catch(() => undefined)
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) {
          this.notifyAgain = false;
          this.notifyOthers();
        }
      });
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

  private wake(): void {
    this.notifications++;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private async connect(): Promise<void> {
    const client = new Client(this.connection);
    // Its own NOTIFY comes back to it: this process's readers were woken when it was sent.
    const own: { pid?: number } = {};
    client.on('notification', (message) => {
      if (message.processId !== own.pid) this.wake();
    });
    client.on('error', (error) => {
      this.log(`commit notifications lost (${error.message}); reconnecting`);
      this.client = undefined;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    await client.connect();
    own.pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
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
