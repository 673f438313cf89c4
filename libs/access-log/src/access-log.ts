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

  /**
   * Appends the entry to its day's chain in one short transaction: the day's head row is created
   * or locked, the entry linked to its last hash, and both written before the commit.
   */
  async write(entry: AccessEntry): Promise<void> {
    const day = brusselsDate(entry.at);
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ entries: number; last_hash: Buffer }>(
        `insert into access_log_heads (day, entries, last_hash) values ($1, 0, $2)
         on conflict (day) do update set day = excluded.day
         returning entries, last_hash`,
        [day, this.chain.genesis(day)],
      );
      const head = rows[0];
      if (head === undefined) throw new Error(`No chain head for ${day}`);
      const seq = head.entries + 1;
      const hash = this.chain.link(head.last_hash, day, seq, entry);
      await client.query(
        `with entry as (
           insert into access_log (day, seq, at, staff_id, organisation_id, route, purpose, outcome,
             status, case_ids, subject_ids, request_id, client_address, hash)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14))
         update access_log_heads set entries = $2, last_hash = $14 where day = $1`,
        [
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
          hash,
        ],
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
    return rows.map((row) => {
      const { hash, at, ...entry } = entryOf(row);
      return { ...entry, at: at.toISOString(), hash: hash.toString('hex') };
    });
  }
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
