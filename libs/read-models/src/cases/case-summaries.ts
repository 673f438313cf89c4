import { Injectable } from '@nestjs/common';
import { noteCaseAccess } from '@relais/access-log';
import { Migration } from '@relais/database';
import {
  CASE_EVENT_TYPES,
  CaseEvent,
  CaseState,
  evolveCase,
  initialCaseState,
} from '@relais/domain';
import { Processor, ProcessorContext, RecordedEvent, toDomainEvent } from '@relais/event-store';
import { isCalendarDate, type CaseSummary, type SubjectCase, type SubjectRole } from '@relais/wire';
import { Pool } from 'pg';

export const caseSummaryMigrations: readonly Migration[] = [
  {
    id: '0210_case_summaries',
    sql: `
create table case_summaries (
  case_id text primary key,
  reference text not null,
  status text not null,
  opened_on date not null,
  residence_commune text not null,
  partner_ids text[] not null,
  active_partner_ids text[] not null,
  version integer not null,
  last_recorded_at timestamptz not null,
  state jsonb not null
);
create index case_summaries_partners on case_summaries using gin (partner_ids);
`,
  },
  {
    id: '0211_case_summaries_subjects',
    sql: `create index case_summaries_subjects on case_summaries using gin ((state -> 'subjects') jsonb_path_ops);`,
  },
  {
    // GET /cases pages by the newest change: the keyset (last_recorded_at, case_id), walked in order.
    id: '0212_case_summaries_recent',
    sql: `create index case_summaries_recent on case_summaries (last_recorded_at desc, case_id desc);`,
  },
  {
    // A search looks for its text in the references alone, not in the rows and their state.
    id: '0213_case_summaries_reference',
    sql: `create index case_summaries_reference on case_summaries (reference) include (case_id);`,
  },
  {
    // When an ended case ended (its last event's date), so the retention job reads no event
    // table, whichever store holds the events; filled here from PostgreSQL's for existing rows.
    id: '0214_case_summaries_ended_on',
    sql: `alter table case_summaries add column ended_on date;
update case_summaries c set ended_on = (
  select (e.data ->> 'occurredOn')::date from events e
  where e.stream_id = 'case-' || c.case_id order by e.stream_position desc limit 1)
where c.status = 'ended';`,
  },
];

/**
 * One row per case for lists, folded with the domain's own `evolve`. Only partners are listed
 * (a referral's recipient finds the case through its notification). No personal data: subjects
 * stay ids.
 */
@Injectable()
export class CaseSummariesProjection implements Processor {
  readonly name = 'case-summaries';
  readonly eventTypes = CASE_EVENT_TYPES;

  async handle(events: readonly RecordedEvent[], { client }: ProcessorContext): Promise<void> {
    for (const event of events) {
      const caseId = (event.data as { caseId: string }).caseId;
      const { rows } = await client.query<{ state: CaseState; version: number }>(
        'select state, version from case_summaries where case_id = $1',
        [caseId],
      );
      const row = rows[0];
      if (row && row.version >= event.streamPosition) continue; // already applied: replay is harmless
      const state = evolveCase(row?.state ?? initialCaseState, toDomainEvent<CaseEvent>(event));
      if (state.status === 'none') continue;
      const partners = Object.values(state.partners);
      await client.query(
        `insert into case_summaries (case_id, reference, status, opened_on, residence_commune, partner_ids,
           active_partner_ids, version, last_recorded_at, state, ended_on)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (case_id) do update set status = $3, residence_commune = $5, partner_ids = $6,
           active_partner_ids = $7, version = $8, last_recorded_at = $9, state = $10, ended_on = $11`,
        [
          caseId,
          state.reference,
          state.status,
          state.openedOn,
          state.residenceCommune,
          partners.map((p) => p.organisationId),
          partners.filter((p) => p.status === 'active').map((p) => p.organisationId),
          event.streamPosition,
          event.recordedAt,
          JSON.stringify(state),
          // An ended case takes no further event: the one that ended it is its last.
          state.status === 'ended' ? (event.data as { occurredOn: string }).occurredOn : null,
        ],
      );
    }
  }
}

/** What `GET /cases` narrows the list by; see `CaseSummaries.forOrganisation`. */
export interface CaseFilters {
  readonly status?: 'open' | 'ended';
  readonly commune?: string;
  readonly assignedTo?: string;
  /** A search: the cases whose reference holds this text (upper case)… */
  readonly reference?: string;
  /** …or whose family holds one of these subjects. */
  readonly subjectIds?: readonly string[];
}

/** Where a page of `GET /cases` starts: after this case, in the list's order. */
export interface CaseCursor {
  readonly lastRecordedAt: string;
  readonly caseId: string;
}

/** A case of the list before its family is named: subjects stay ids here. */
export type ListedCase<Time> = Omit<CaseSummary<Time>, 'family'> & {
  readonly subjects: readonly { subjectId: string; role: SubjectRole }[];
};

/** A case still open in the organisation that holds one of the subjects asked about. */
export interface OpenCaseOfSubject {
  readonly subjectId: string;
  readonly caseId: string;
  readonly reference: string;
  readonly openedOn: string;
}

/** The cursor as the answer carries it: opaque to clients, exact to the microsecond. */
export function encodeCaseCursor(cursor: CaseCursor): string {
  return Buffer.from(`${cursor.lastRecordedAt}|${cursor.caseId}`, 'utf8').toString('base64url');
}

/** The cursor a client sent back, or undefined when it is not one this API gave out. */
export function decodeCaseCursor(text: string): CaseCursor | undefined {
  const [lastRecordedAt, caseId, ...rest] = Buffer.from(text, 'base64url')
    .toString('utf8')
    .split('|');
  if (rest.length > 0 || lastRecordedAt === undefined || caseId === undefined) return undefined;
  const at = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/.exec(lastRecordedAt);
  const [day, hours, minutes, seconds] = [
    at?.[1],
    Number(at?.[2]),
    Number(at?.[3]),
    Number(at?.[4]),
  ];
  if (!isCalendarDate(day) || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  if (!/^[0-9a-f-]{36}$/.test(caseId)) return undefined;
  return { lastRecordedAt, caseId };
}

@Injectable()
export class CaseSummaries {
  constructor(private readonly pool: Pool) {}

  /**
   * One page of the cases an organisation is (or was) a partner of, newest change first, narrowed
   * by the filters given: `subjectIds` or `reference` (either matches: a search), `commune`,
   * `status`, `assignedTo` (a member of its staff assigned to the case by the organisation). A
   * search starts from what it found, never from the organisation's every case: the subjects
   * through the index on the family's subject ids, the references through their own column.
   */
  async forOrganisation(
    organisationId: string,
    filters: CaseFilters = {},
    page: { readonly after?: CaseCursor; readonly limit: number } = { limit: 50 },
  ): Promise<{ rows: ListedCase<Date>[]; next: CaseCursor | undefined }> {
    const search = filters.subjectIds !== undefined || filters.reference !== undefined;
    const listed = `c.case_id as "caseId", c.reference, c.status,
         to_char(c.opened_on, 'YYYY-MM-DD') as "openedOn", c.residence_commune as "residenceCommune",
         c.partner_ids as "partnerIds", c.active_partner_ids as "activePartnerIds", c.version,
         c.last_recorded_at as "lastRecordedAt",
         to_char(c.last_recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorAt",
         c.state -> 'subjects' as subjects`;
    const kept = `c.partner_ids @> array[$1]::text[] and ($2::text is null or c.status = $2)
         and ($3::text is null or c.residence_commune = $3)
         and ($4::text is null or c.state -> 'partners' -> $1::text -> 'assignedStaffIds' ? $4::text)
         and ($5::timestamptz is null or (c.last_recorded_at, c.case_id) < ($5::timestamptz, $6::text))`;
    // A search starts from what it found: each subject through the index on the families'
    // subject ids, the references through their own index; the organisation's other cases are
    // never read.
    const sql = search
      ? `select * from (
           select ${listed} from unnest($9::text[]) as wanted (subject_id)
           join case_summaries c on c.state -> 'subjects'
             @> jsonb_build_array(jsonb_build_object('subjectId', wanted.subject_id))
           where ${kept}
           union
           select ${listed} from case_summaries c
           where c.case_id = any (array(select case_id from case_summaries
               where $8::text <> '' and position($8 in reference) > 0))
             and ${kept}) found
         order by "lastRecordedAt" desc, "caseId" desc
         limit $7`
      : `select ${listed} from case_summaries c where ${kept}
         order by c.last_recorded_at desc, c.case_id desc
         limit $7`;
    const { rows } = await this.pool.query<ListedCase<Date> & { cursorAt: string }>(sql, [
      organisationId,
      filters.status ?? null,
      filters.commune ?? null,
      filters.assignedTo ?? null,
      page.after?.lastRecordedAt ?? null,
      page.after?.caseId ?? '',
      page.limit + 1,
      ...(search ? [filters.reference ?? '', filters.subjectIds ?? []] : []),
    ]);
    const shown = rows.slice(0, page.limit).map(({ cursorAt, ...row }) => ({ row, cursorAt }));
    noteCaseAccess(
      shown.map(({ row }) => row.caseId),
      shown.flatMap(({ row }) => row.subjects.map((s) => s.subjectId)),
    );
    const last = shown[shown.length - 1];
    return {
      rows: shown.map(({ row }) => row),
      next:
        rows.length > page.limit && last
          ? { lastRecordedAt: last.cursorAt, caseId: last.row.caseId }
          : undefined,
    };
  }

  /**
   * The cases still open in which the organisation is an active partner and the family holds one
   * of these subjects: what opening another case for the same person would duplicate.
   */
  async openForSubjects(
    organisationId: string,
    subjectIds: readonly string[],
  ): Promise<OpenCaseOfSubject[]> {
    if (subjectIds.length === 0) return [];
    const { rows } = await this.pool.query<OpenCaseOfSubject>(
      `select wanted.subject_id as "subjectId", s.case_id as "caseId", s.reference,
         to_char(s.opened_on, 'YYYY-MM-DD') as "openedOn"
       from unnest($2::text[]) as wanted (subject_id)
       join case_summaries s
         on s.state -> 'subjects' @> jsonb_build_array(jsonb_build_object('subjectId', wanted.subject_id))
       where s.status = 'open' and s.active_partner_ids @> array[$1]::text[]
       order by s.opened_on desc, s.case_id`,
      [organisationId, subjectIds],
    );
    noteCaseAccess(rows.map((r) => r.caseId));
    return rows;
  }

  /**
   * Each case's reference, to show a case by the name its partners know. A reference names no
   * family, so looking it up is no read of case content.
   */
  async references(caseIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ caseId: string; reference: string }>(
      `select case_id as "caseId", reference from case_summaries where case_id = any($1::text[])`,
      [[...new Set(caseIds)]],
    );
    return new Map(rows.map((r) => [r.caseId, r.reference]));
  }

  /** The cases each person is a family member of, oldest first, with their role in it. */
  async ofSubjects(subjectIds: readonly string[]): Promise<Map<string, SubjectCase[]>> {
    const { rows } = await this.pool.query<SubjectCase & { subjectId: string }>(
      `select wanted.subject_id as "subjectId", s.case_id as "caseId", s.reference, s.status,
         to_char(s.opened_on, 'YYYY-MM-DD') as "openedOn", m.role
       from unnest($1::text[]) as wanted (subject_id)
       join case_summaries s
         on s.state -> 'subjects' @> jsonb_build_array(jsonb_build_object('subjectId', wanted.subject_id))
       cross join lateral jsonb_to_recordset(s.state -> 'subjects') as m ("subjectId" text, role text)
       where m."subjectId" = wanted.subject_id
       order by s.opened_on, s.case_id`,
      [subjectIds],
    );
    noteCaseAccess(
      rows.map((r) => r.caseId),
      rows.map((r) => r.subjectId),
    );
    const cases = new Map<string, SubjectCase[]>(subjectIds.map((id) => [id, []]));
    for (const { subjectId, ...found } of rows) cases.get(subjectId)?.push(found);
    return cases;
  }
}
