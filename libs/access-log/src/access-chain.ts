import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey } from '@relais/kernel';
import type { AccessPurpose } from './access-purpose';

/**
 * `allowed`: answered (2xx); `denied`: 403 or 404, the case not shown; `refused`: another 4xx
 * (bad input, a rule, a version conflict) after the case may have been read.
 */
export type AccessOutcome = 'allowed' | 'denied' | 'refused';

export function outcomeOf(status: number): AccessOutcome {
  if (status === 403 || status === 404) return 'denied';
  return status < 400 ? 'allowed' : 'refused';
}

/** One access-log entry as a request leaves it: ids and codes only, never a name or a NISS. */
export interface AccessEntry {
  /** The app's clock. */
  readonly at: Date;
  readonly staffId: string;
  readonly organisationId: string;
  readonly route: string;
  readonly purpose: AccessPurpose;
  readonly outcome: AccessOutcome;
  readonly status: number;
  readonly caseIds: readonly string[];
  readonly subjectIds: readonly string[];
  readonly requestId: string;
  readonly clientAddress: string | null;
}

/** An entry in its chain: the `seq`-th of its day (Brussels), and the link hash that seals it. */
export interface ChainedEntry extends AccessEntry {
  readonly day: string;
  readonly seq: number;
  readonly hash: Buffer;
}

/** A day's chain head: how many entries it holds and the hash of the last one. */
export interface ChainHead {
  readonly day: string;
  readonly entries: number;
  readonly lastHash: Buffer;
}

/** The first place where the chain does not hold. */
export interface BrokenLink {
  readonly day: string;
  readonly seq: number;
  readonly problem: 'changed' | 'missing' | 'missing_at_end' | 'no_head' | 'head_changed';
  readonly message: string;
}

/** Every field but the hash, in a fixed order: the text each link seals. */
function sealed(day: string, seq: number, e: AccessEntry): string {
  return JSON.stringify([
    day,
    seq,
    e.at.toISOString(),
    e.staffId,
    e.organisationId,
    e.route,
    e.purpose,
    e.outcome,
    e.status,
    e.caseIds,
    e.subjectIds,
    e.requestId,
    e.clientAddress,
  ]);
}

/**
 * The links of the log's chains: each entry's hash is an HMAC-SHA-256 of the previous entry's
 * hash and its own fields, under a key derived from the vault's master key. Whoever can write to
 * the database but does not hold the key cannot forge a link after changing or removing a row.
 */
export class AccessChain {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = derivedKey(masterKey, 'relais:access-log-chain');
  }

  /** Where a day's chain starts: its first entry links to this. */
  genesis(day: string): Buffer {
    return createHmac('sha256', this.key).update(`relais:access-log:${day}`).digest();
  }

  link(previous: Buffer, day: string, seq: number, entry: AccessEntry): Buffer {
    return createHmac('sha256', this.key)
      .update(previous)
      .update(sealed(day, seq, entry))
      .digest();
  }

  /** Checks one day's entries, given in `seq` order, one at a time; then its head. */
  verifierOf(day: string): DayVerifier {
    return new DayVerifier(this, day);
  }
}

export class DayVerifier {
  private previous: Buffer;
  private seq = 0;

  constructor(
    private readonly chain: AccessChain,
    private readonly day: string,
  ) {
    this.previous = chain.genesis(day);
  }

  next(entry: ChainedEntry): BrokenLink | undefined {
    const expected = this.seq + 1;
    if (entry.seq !== expected) {
      return this.broken(
        expected,
        'missing',
        entry.seq - expected === 1
          ? `entry #${expected} is missing (deleted): the next one is #${entry.seq}`
          : `entries #${expected} to #${entry.seq - 1} are missing (deleted): the next one is #${entry.seq}`,
      );
    }
    const hash = this.chain.link(this.previous, this.day, entry.seq, entry);
    if (!same(hash, entry.hash)) {
      return this.broken(
        entry.seq,
        'changed',
        `entry #${entry.seq} does not match its link: it was changed after it was written` +
          (entry.seq > 1 ? `, or #${entry.seq - 1} was` : ''),
      );
    }
    this.previous = entry.hash;
    this.seq = entry.seq;
    return undefined;
  }

  end(head: ChainHead | undefined): BrokenLink | undefined {
    if (head === undefined) {
      return this.broken(this.seq, 'no_head', 'the day has entries but no chain head');
    }
    if (head.entries > this.seq) {
      return this.broken(
        this.seq + 1,
        'missing_at_end',
        `entries #${this.seq + 1} to #${head.entries} are missing (deleted): the day's head counts ${head.entries}`,
      );
    }
    if (head.entries < this.seq || !same(head.lastHash, this.previous)) {
      return this.broken(
        head.entries,
        'head_changed',
        `the day's head (${head.entries} entries) does not match its last entry (#${this.seq})`,
      );
    }
    return undefined;
  }

  private broken(seq: number, problem: BrokenLink['problem'], message: string): BrokenLink {
    return { day: this.day, seq, problem, message: `${this.day} ${message}` };
  }
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
