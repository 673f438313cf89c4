import { Checkpoint, ReadAllOptions, ReadAllResult, RecordedEvent, START } from '../event-store';
import { SharedTail } from './shared-tail';

const at = (transactionId: number, globalPosition: number): RecordedEvent => ({
  eventId: `e-${globalPosition}`,
  type: 'Something',
  data: {},
  metadata: {},
  schemaVersion: 1,
  streamId: `s-${globalPosition}`,
  streamPosition: 1,
  globalPosition,
  transactionId,
  recordedAt: new Date(0),
});

/** A log in commit order, and every read asked of it. */
function aLog(events: RecordedEvent[]) {
  const reads: ReadAllOptions[] = [];
  let failNext = false;
  const store = {
    readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
      reads.push(options);
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('connection lost'));
      }
      const after = options.after ?? START;
      const found = events
        .filter(
          (e) =>
            e.transactionId > after.transactionId ||
            (e.transactionId === after.transactionId && e.globalPosition > after.globalPosition),
        )
        .slice(0, options.maxCount ?? 1000);
      const last = found[found.length - 1];
      return Promise.resolve({
        events: found,
        checkpoint: last
          ? { transactionId: last.transactionId, globalPosition: last.globalPosition }
          : after,
      });
    },
  };
  let clock = 0;
  const now = () => clock;
  return {
    tail: new SharedTail(store, now),
    reads,
    /** A moment later: reads sent before it may miss commits after it. */
    later: () => ++clock,
    now,
    failNextRead: () => (failNext = true),
  };
}

const ids = (result: ReadAllResult) => result.events.map((e) => e.globalPosition);
const position = (e: RecordedEvent): Checkpoint => ({
  transactionId: e.transactionId,
  globalPosition: e.globalPosition,
});

describe('SharedTail', () => {
  const log = [at(10, 1), at(10, 2), at(11, 3), at(12, 4)];

  it('answers processors waiting at the same place with one read', async () => {
    const { tail, reads, now } = aLog(log);
    const since = now();
    const [a, b, c] = await Promise.all([
      tail.read(START, 100, since),
      tail.read(START, 100, since),
      tail.read(START, 100, since),
    ]);
    expect(reads).toHaveLength(1);
    for (const result of [a, b, c]) {
      expect(ids(result)).toEqual([1, 2, 3, 4]);
      expect(result.checkpoint).toEqual({ transactionId: 12, globalPosition: 4 });
    }
  });

  it('gives a processor further along only what follows its checkpoint, and the head when nothing does', async () => {
    const { tail, reads, now } = aLog(log);
    const since = now();
    await tail.read(START, 100, since);
    const further = await tail.read(position(at(10, 2)), 100, since);
    expect(ids(further)).toEqual([3, 4]);
    const atHead = await tail.read(position(at(12, 4)), 100, since);
    expect(atHead.events).toEqual([]);
    expect(atHead.checkpoint).toEqual({ transactionId: 12, globalPosition: 4 });
    expect(reads).toHaveLength(1);
  });

  it('reads again for a processor whose step began after the shared read was sent', async () => {
    const { tail, reads, now, later } = aLog(log);
    await tail.read(START, 100, now());
    const woken = await tail.read(START, 100, later()); // it may miss commits since
    expect(reads).toHaveLength(2);
    expect(ids(woken)).toEqual([1, 2, 3, 4]);
    await tail.read(START, 100, now()); // and the new read serves those woken with it
    expect(reads).toHaveLength(2);
  });

  it('reads again for a processor behind the shared read, or past the end of a full one', async () => {
    const { tail, reads, now } = aLog(log);
    const since = now();
    await tail.read(position(at(10, 2)), 100, since);
    expect(ids(await tail.read(START, 100, since))).toEqual([1, 2, 3, 4]); // behind: its own read
    expect(reads).toHaveLength(2);

    const full = await tail.read(START, 2, since); // served by the read above, cut to two
    expect(ids(full)).toEqual([1, 2]);
    expect(reads).toHaveLength(2);
    const { tail: other, reads: otherReads } = aLog(log);
    await other.read(START, 2, since); // full: it says nothing of what follows position 2
    expect(ids(await other.read(position(at(10, 2)), 2, since))).toEqual([3, 4]);
    expect(otherReads).toHaveLength(2);
  });

  it('does not hand on a failed read: the next processor reads for itself', async () => {
    const { tail, reads, now, failNextRead } = aLog(log);
    const since = now();
    failNextRead();
    await expect(tail.read(START, 100, since)).rejects.toThrow('connection lost');
    expect(ids(await tail.read(START, 100, since))).toEqual([1, 2, 3, 4]);
    expect(reads).toHaveLength(2);
  });
});
