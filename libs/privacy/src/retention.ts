import { Inject, Injectable } from '@nestjs/common';
import { noteCaseAccess } from '@relais/access-log';
import { Database, inTransaction } from '@relais/database';
import {
  IsoDate,
  PrivacyEvent,
  RETENTION_YEARS,
  retentionEndsOn,
  retentionStreamId,
} from '@relais/domain';
import {
  appendAtCurrentVersion,
  CommitNotifier,
  EVENT_STORE,
  TransactionalEventStore,
} from '@relais/event-store';
import type { ExpiringCase, RetentionPolicy } from '@relais/wire';

interface EndedCaseRow {
  caseId: string;
  reference: string;
  endedOn: string;
  partnerIds: string[];
  subjectIds: string[];
  years: number;
}

/**
 * Each organisation's retention period: personal data of a case is shredded that many years after
 * the case ended: the day its last event occurred, the closure (or leaving) that left no partner
 * active; nothing can be logged on an ended case. A case followed by
 * several partners keeps its family's data for the longest of their periods: shredding erases the
 * person for every partner at once.
 */
@Injectable()
export class Retention {
  constructor(
    private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: TransactionalEventStore,
    private readonly notifier: CommitNotifier,
  ) {}

  async policy(organisationId: string): Promise<RetentionPolicy<Date>> {
    const { rows } = await this.database.pool.query<{
      years: number;
      set_by: string;
      set_at: Date;
    }>('select years, set_by, set_at from retention_policies where organisation_id = $1', [
      organisationId,
    ]);
    const row = rows[0];
    return row
      ? { organisationId, years: row.years, isDefault: false, setBy: row.set_by, setAt: row.set_at }
      : {
          organisationId,
          years: RETENTION_YEARS.default,
          isDefault: true,
          setBy: null,
          setAt: null,
        };
  }

  /** The row and its `RetentionPeriodSet` event commit together, with the admin as the author. */
  async setPolicy(
    organisationId: string,
    years: number,
    by: { staffId: string; organisationId: string },
    at: Date,
  ): Promise<RetentionPolicy<Date>> {
    let signal = false;
    await inTransaction(this.database.pool, async (client) => {
      await client.query(
        `insert into retention_policies (organisation_id, years, set_by, set_at)
         values ($1, $2, $3, $4)
         on conflict (organisation_id) do update set years = $2, set_by = $3, set_at = $4`,
        [organisationId, years, by.staffId, at],
      );
      const event: PrivacyEvent = { type: 'RetentionPeriodSet', data: { organisationId, years } };
      const stream = retentionStreamId(organisationId);
      const store = this.store.within(client, () => (signal = true));
      // The row's lock orders concurrent changes: the version read is the one appended on.
      await appendAtCurrentVersion(
        store,
        stream,
        [event],
        { actor: by.staffId, content: event },
        { metadata: { actor: by.staffId, organisation: by.organisationId } },
      );
    });
    if (signal) this.notifier.signal();
    return this.policy(organisationId);
  }

  /** Ended cases whose family still has personal data and whose retention ends by `until`, soonest first. */
  async expiringBy(until: IsoDate): Promise<ExpiringCase[]> {
    const { rows } = await this.database.pool.query<EndedCaseRow>(
      `select c.case_id as "caseId", c.reference,
         to_char(c.ended_on, 'YYYY-MM-DD') as "endedOn",
         c.partner_ids as "partnerIds",
         array(select s ->> 'subjectId' from jsonb_array_elements(c.state -> 'subjects') with ordinality as f (s, n)
               where not exists (select from erasures e where e.subject_id = (s ->> 'subjectId')::uuid)
               order by n) as "subjectIds",
         (select max(coalesce(p.years, $1)) from unnest(c.partner_ids) as o (id)
            left join retention_policies p on p.organisation_id = o.id)::int as years
       from case_summaries c
       where c.status = 'ended' and c.ended_on is not null`,
      [RETENTION_YEARS.default],
    );
    const expiring = rows
      .filter((r) => r.subjectIds.length > 0)
      .map((r) => ({ ...r, expiresOn: retentionEndsOn(r.endedOn, r.years) }))
      .filter((r) => r.expiresOn <= until)
      .sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.caseId.localeCompare(b.caseId));
    noteCaseAccess(
      expiring.map((c) => c.caseId),
      expiring.flatMap((c) => c.subjectIds),
    );
    return expiring;
  }
}
