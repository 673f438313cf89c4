import {
  Checkpoint,
  checkpointOf,
  compareCheckpoints,
  EventStore,
  ReadAllResult,
} from '../event-store';

interface Read {
  /** When the read was sent: it sees every commit before that moment. */
  readonly sentAt: number;
  readonly after: Checkpoint;
  readonly maxCount: number;
  readonly result: Promise<ReadAllResult>;
}

/**
 * The processors of one process mostly wait at the same place, the head of the log, and every
 * commit wakes them all at once. Rather than each sending the same read, the first one's answer
 * serves the others: one read per commit instead of one per processor.
 *
 * A processor shares a read only if that read was sent after the processor began its step (so
 * it misses no commit the processor was woken for, nor one its poll is looking for), started at
 * or before the
 * processor's checkpoint, and either was not full or still holds events past the checkpoint
 * (a full batch says nothing of what follows it). Otherwise it reads for itself.
 */
export class SharedTail {
  /** The latest reads, newest first: the processors wait at a few places, not at one. */
  private recent: Read[] = [];

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly now: () => number = () => performance.now(),
    private readonly keep = 8,
  ) {}

  /** Events after `after`, as a read sent at `notBefore` or later sees them. */
  async read(after: Checkpoint, maxCount: number, notBefore: number): Promise<ReadAllResult> {
    for (const shared of this.recent) {
      if (shared.sentAt < notBefore) break; // older reads are older still
      if (compareCheckpoints(shared.after, after) > 0) continue;
      const result = await shared.result.catch(() => undefined);
      if (!result) continue;
      const events = result.events
        .filter((event) => compareCheckpoints(checkpointOf(event), after) > 0)
        .slice(0, maxCount);
      const full = result.events.length >= shared.maxCount;
      if (events.length > 0 || !full) {
        const last = events[events.length - 1];
        return { events, checkpoint: last ? checkpointOf(last) : after };
      }
    }
    const read: Read = {
      sentAt: this.now(),
      after,
      maxCount,
      result: this.store.readAll({ after, maxCount }),
    };
    this.recent = [read, ...this.recent.slice(0, this.keep - 1)];
    return read.result;
  }
}
