import { withCorrelation } from '@relais/kernel';
import { Channel, Claim, Outbox, Recorder, Senders } from './outbox';

export interface DeliveryLaneOptions {
  /** Sends in flight at most on this channel, in this process. */
  readonly concurrency: number;
  /** How often the lane looks for due deliveries when no send has ended meanwhile. */
  readonly pollMs: number;
  readonly now: () => Date;
  readonly record: Recorder;
  readonly onError: (error: Error) => void;
  /** After each outcome recorded. */
  readonly onRecorded?: () => void;
  /** How long `stop` lets sends in flight finish before it gives their leases back. */
  readonly stopGraceMs?: number;
}

/**
 * Keeps up to `concurrency` sends of one channel in flight: it claims as many as there are free
 * slots, and claims again as each send ends and on every poll. A receiver that never answers holds
 * one slot until its timeout, never the others, and never another channel.
 */
export class DeliveryLane {
  private readonly inFlight = new Map<string, { claim: Claim; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private claimAgain = false;
  private stopped = false;
  private abandoned = false;

  constructor(
    private readonly outbox: Outbox,
    readonly channel: Channel,
    private readonly senders: Senders,
    private readonly options: DeliveryLaneOptions,
  ) {}

  start(): void {
    this.wake();
  }

  /** Sends in flight now. */
  get sending(): number {
    return this.inFlight.size;
  }

  /** Claims now; a wake-up while a claim runs makes one more claim after it. */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.claiming = this.fill()
      .catch((error: Error) => this.options.onError(error))
      .finally(() => {
        this.claiming = undefined;
        if (this.stopped) return;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), this.options.pollMs);
        }
      });
  }

  /**
   * Stops claiming, lets the sends in flight end within the grace period, and gives back the
   * leases of those still hanging then: their outcome is not recorded here, another worker sends
   * them again (the receiver drops the duplicate by its idempotency key).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claiming;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, this.options.stopGraceMs ?? 2000)),
    );
    await Promise.race([Promise.all([...this.inFlight.values()].map((s) => s.done)), grace]);
    clearTimeout(timer);
    this.abandoned = true;
    const hanging = [...this.inFlight.values()].map((s) => s.claim);
    this.inFlight.clear();
    await this.outbox.release(hanging).catch((error: Error) => this.options.onError(error));
  }

  private async fill(): Promise<void> {
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const claims = await this.outbox.claim(this.channel, free, this.options.now());
    for (const claim of claims) this.send(claim);
  }

  private send(claim: Claim): void {
    const { now, record, onError, onRecorded } = this.options;
    const id = claim.delivery.id;
    // What the send and its recorder log carries the request the notification comes from.
    const done = withCorrelation(claim.delivery.correlationId, () =>
      this.outbox.deliver(claim, this.senders, now, (client, outcome) => {
        if (this.abandoned) throw new AbandonedSend();
        return record(client, outcome);
      }),
    )
      .then((outcome) => {
        if (outcome) onRecorded?.();
      })
      .catch((error: Error) => {
        if (!this.abandoned) onError(error);
      })
      .finally(() => {
        if (this.inFlight.get(id)?.claim === claim) this.inFlight.delete(id);
        this.wake();
      });
    this.inFlight.set(id, { claim, done });
  }
}

/** A send that ended after its lane stopped and gave its lease back: nothing of it is recorded. */
class AbandonedSend extends Error {}
