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
import type { CaseSummary, SubjectCase, SubjectRole } from '@relais/wire';
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
           active_partner_ids, version, last_recorded_at, state)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (case_id) do update set status = $3, residence_commune = $5, partner_ids = $6,
           active_partner_ids = $7, version = $8, last_recorded_at = $9, state = $10`,
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

/** A case of the list before its family is named: subjects stay ids here. */
export type ListedCase<Time> = Omit<CaseSummary<Time>, 'family'> & {
  readonly subjects: readonly { subjectId: string; role: SubjectRole }[];
};

@Injectable()
export class CaseSummaries {
  constructor(private readonly pool: Pool) {}

  /**
   * The cases an organisation is (or was) a partner of, newest change first, narrowed by the
   * filters given: `subjectIds` or `reference` (either matches: a search), `commune`, `status`,
   * `assignedTo` (a member of its staff assigned to the case by the organisation).
   */
  async forOrganisation(
    organisationId: string,
    filters: CaseFilters = {},
  ): Promise<ListedCase<Date>[]> {
    const search = filters.subjectIds !== undefined || filters.reference !== undefined;
    const { rows } = await this.pool.query<ListedCase<Date>>(
      `select case_id as "caseId", reference, status, to_char(opened_on, 'YYYY-MM-DD') as "openedOn",
         residence_commune as "residenceCommune", partner_ids as "partnerIds",
         active_partner_ids as "activePartnerIds", version, last_recorded_at as "lastRecordedAt",
         state -> 'subjects' as subjects
       from case_summaries
       where partner_ids @> array[$1]::text[] and ($2::text is null or status = $2)
         and ($3::text is null or residence_commune = $3)
         and ($4::text is null or state -> 'partners' -> $1::text -> 'assignedStaffIds' ? $4::text)
         and (not $5 or ($6::text <> '' and position($6 in reference) > 0)
           or exists (select from jsonb_array_elements(state -> 'subjects') m
             where m ->> 'subjectId' = any($7::text[])))
       order by last_recorded_at desc`,
      [
        organisationId,
        filters.status ?? null,
        filters.commune ?? null,
        filters.assignedTo ?? null,
        search,
        filters.reference ?? '',
        filters.subjectIds ?? [],
      ],
    );
    noteCaseAccess(
      rows.map((r) => r.caseId),
      rows.flatMap((r) => r.subjects.map((s) => s.subjectId)),
    );
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
