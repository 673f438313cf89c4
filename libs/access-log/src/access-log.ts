import { brusselsDate } from '@relais/calendar';
import { Pool } from 'pg';
import {
  AccessChain,
  AccessEntry,
  AccessOutcome,
  BrokenLink,
  ChainedEntry,
  ChainHead,
} from './access-chain';
import type { AccessPurpose } from './access-purpose';
import { noteCaseAccess } from './access-record';

/** What the DPO looks for: every filter optional, days `YYYY-MM-DD` inclusive (Brussels). */
export interface AccessLogQuery {
  readonly staffId?: string;
  readonly organisationId?: string;
  readonly caseId?: string;
  readonly subjectId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
}

/** An entry as the DPO reads it: its place in the chain and its link, hex. */
export interface AccessLogItem extends Omit<AccessEntry, 'at'> {
  readonly at: string;
  readonly day: string;
  readonly seq: number;
  readonly hash: string;
}

export interface Verification {
  readonly days: number;
  readonly entries: number;
  /** The first link that does not hold, days in order; none when the whole log holds. */
  readonly broken?: BrokenLink;
}

interface Row {
  day: string;
  seq: number;
  at: Date;
  staff_id: string;
  organisation_id: string;
  route: string;
  purpose: AccessPurpose;
  outcome: AccessOutcome;
  status: number;
  case_ids: string[];
  subject_ids: string[];
  request_id: string;
  client_address: string | null;
  hash: Buffer;
}

const COLUMNS = `to_char(day, 'YYYY-MM-DD') as day, seq, at, staff_id, organisation_id, route, purpose,
  outcome, status, case_ids, subject_ids, request_id, client_address, hash`;

const VERIFY_BATCH = 5_000;
/** Entries a transaction writes at most: 14 parameters each. */
const MAX_BATCH = 200;

interface Pending {
  readonly entry: AccessEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function entryOf(row: Row): ChainedEntry {
  return {
    day: row.day,
    seq: row.seq,
    at: row.at,
    staffId: row.staff_id,
    organisationId: row.organisation_id,
    route: row.route,
    purpose: row.purpose,
    outcome: row.outcome,
    status: row.status,
    caseIds: row.case_ids,
    subjectIds: row.subject_ids,
    requestId: row.request_id,
    clientAddress: row.client_address,
    hash: row.hash,
  };
}

/** The access log: written as part of each answer, verified link by link, searched by the DPO. */
export class AccessLog {
  constructor(
    private readonly pool: Pool,
    private readonly chain: AccessChain,
  ) {}

  private pending: Pending[] = [];
  private flushing = false;

  /**
   * Appends the entry to its day's chain, and resolves once it is committed. Entries that arrive
   * while a transaction is under way wait for it and go together in the next one (group commit):
   * the day's head is locked once per batch, not once per entry, so concurrent reads do not queue
   * one commit each behind the lock.
   */
  write(entry: AccessEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        try {
          await this.append(batch.map((p) => p.entry));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * One short transaction: each day's head row is created or locked (days in order, so writers
   * in other processes never deadlock), the entries linked to its last hash one after the other,
   * and entries and heads written before the commit.
   */
  private async append(entries: readonly AccessEntry[]): Promise<void> {
    const byDay = new Map<string, AccessEntry[]>();
    for (const entry of entries) {
      const day = brusselsDate(entry.at);
      byDay.set(day, [...(byDay.get(day) ?? []), entry]);
    }
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const rows: unknown[][] = [];
      const heads: unknown[][] = [];
      for (const day of [...byDay.keys()].sort()) {
        const { rows: locked } = await client.query<{ entries: number; last_hash: Buffer }>(
          `insert into access_log_heads (day, entries, last_hash) values ($1, 0, $2)
           on conflict (day) do update set day = excluded.day
           returning entries, last_hash`,
          [day, this.chain.genesis(day)],
        );
        const head = locked[0];
        if (head === undefined) throw new Error(`No chain head for ${day}`);
        let seq = head.entries;
        let previous = head.last_hash;
        for (const entry of byDay.get(day) ?? []) {
          seq += 1;
          previous = this.chain.link(previous, day, seq, entry);
          rows.push([
            day,
            seq,
            entry.at,
            entry.staffId,
            entry.organisationId,
            entry.route,
            entry.purpose,
            entry.outcome,
            entry.status,
            entry.caseIds,
            entry.subjectIds,
            entry.requestId,
            entry.clientAddress,
            previous,
          ]);
        }
        heads.push([day, seq, previous]);
      }
      const params: unknown[] = [];
      const placeholders = (values: readonly unknown[][], casts: readonly string[] = []) =>
        values
          .map(
            (row) =>
              `(${row.map((value, i) => `$${params.push(value)}${casts[i] ?? ''}`).join(', ')})`,
          )
          .join(', ');
      const inserted = placeholders(rows);
      const updated = placeholders(heads, ['::date', '::integer', '::bytea']);
      await client.query(
        `with entry as (
           insert into access_log (day, seq, at, staff_id, organisation_id, route, purpose, outcome,
             status, case_ids, subject_ids, request_id, client_address, hash)
           values ${inserted})
         update access_log_heads h set entries = v.entries, last_hash = v.last_hash
         from (values ${updated}) as v (day, entries, last_hash) where h.day = v.day`,
        params,
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Walks every day's chain from its start; stops at the first link that does not hold. */
  async verify(): Promise<Verification> {
    const { rows: headRows } = await this.pool.query<{
      day: string;
      entries: number;
      last_hash: Buffer;
    }>(`select to_char(day, 'YYYY-MM-DD') as day, entries, last_hash from access_log_heads`);
    const heads = new Map<string, ChainHead>(
      headRows.map((h) => [h.day, { day: h.day, entries: h.entries, lastHash: h.last_hash }]),
    );
    const { rows: dayRows } = await this.pool.query<{ day: string }>(
      `select distinct to_char(day, 'YYYY-MM-DD') as day from access_log`,
    );
    const days = [...new Set([...heads.keys(), ...dayRows.map((r) => r.day)])].sort();
    let entries = 0;
    for (const day of days) {
      const verifier = this.chain.verifierOf(day);
      let after = 0;
      for (;;) {
        const { rows } = await this.pool.query<Row>(
          `select ${COLUMNS} from access_log where day = $1 and seq > $2 order by seq limit $3`,
          [day, after, VERIFY_BATCH],
        );
        for (const row of rows) {
          const broken = verifier.next(entryOf(row));
          if (broken) return { days: days.length, entries, broken };
          entries += 1;
          after = row.seq;
        }
        if (rows.length < VERIFY_BATCH) break;
      }
      const broken = verifier.end(heads.get(day));
      if (broken) return { days: days.length, entries, broken };
    }
    return { days: days.length, entries };
  }

  /** Newest first. The case and the person asked about are the reader's own entry's. */
  async search(query: AccessLogQuery): Promise<AccessLogItem[]> {
    noteCaseAccess(
      query.caseId === undefined ? [] : [query.caseId],
      query.subjectId === undefined ? [] : [query.subjectId],
    );
    const { rows } = await this.pool.query<Row>(
      `select ${COLUMNS} from access_log
       where ($1::text is null or staff_id = $1) and ($2::text is null or organisation_id = $2)
         and ($3::text is null or case_ids @> array[$3::text])
         and ($4::text is null or subject_ids @> array[$4::text])
         and ($5::date is null or day >= $5) and ($6::date is null or day <= $6)
       order by day desc, seq desc
       limit $7`,
      [
        query.staffId ?? null,
        query.organisationId ?? null,
        query.caseId ?? null,
        query.subjectId ?? null,
        query.from ?? null,
        query.to ?? null,
        query.limit,
      ],
    );
    return rows.map(itemOf);
  }

  /**
   * Every entry that names the person or one of their cases, oldest first: the accesses of a
   * subject access report. The person and the cases are the reader's own entry's.
   */
  async concerning(subjectId: string, caseIds: readonly string[]): Promise<AccessLogItem[]> {
    noteCaseAccess(caseIds, [subjectId]);
    const { rows } = await this.pool.query<Row>(
      `select ${COLUMNS} from access_log
       where subject_ids @> array[$1::text] or case_ids && $2::text[]
       order by day, seq`,
      [subjectId, caseIds],
    );
    return rows.map(itemOf);
  }
}

function itemOf(row: Row): AccessLogItem {
  const { hash, at, ...entry } = entryOf(row);
  return { ...entry, at: at.toISOString(), hash: hash.toString('hex') };
}

const CSV_COLUMNS: readonly (readonly [string, (item: AccessLogItem) => string])[] = [
  ['at', (i) => i.at],
  ['day', (i) => i.day],
  ['seq', (i) => String(i.seq)],
  ['staff_id', (i) => i.staffId],
  ['organisation_id', (i) => i.organisationId],
  ['route', (i) => i.route],
  ['purpose', (i) => i.purpose],
  ['outcome', (i) => i.outcome],
  ['status', (i) => String(i.status)],
  ['case_ids', (i) => i.caseIds.join(' ')],
  ['subject_ids', (i) => i.subjectIds.join(' ')],
  ['request_id', (i) => i.requestId],
  ['client_address', (i) => i.clientAddress ?? ''],
  ['hash', (i) => i.hash],
];

function csvField(value: string): string {
  return /[",;\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** UTF-8 with a byte-order mark and `;` separators, as the compliance report; lists space-separated. */
export function accessLogCsv(items: readonly AccessLogItem[]): string {
  const line = (cells: readonly string[]) => cells.map(csvField).join(';');
  const rows = items.map((item) => line(CSV_COLUMNS.map(([, value]) => value(item))));
  return `\uFEFF${[line(CSV_COLUMNS.map(([name]) => name)), ...rows].join('\r\n')}\r\n`;
}
