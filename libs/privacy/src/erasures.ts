import { Inject, Injectable } from '@nestjs/common';
import { noteCaseAccess } from '@relais/access-log';
import { Database, inTransaction } from '@relais/database';
import { erasureStreamId, ErasureReason, NotFound, PrivacyEvent } from '@relais/domain';
import {
  CommitNotifier,
  EVENT_STORE,
  EventMetadata,
  TransactionalEventStore,
} from '@relais/event-store';
import { uuidFromName } from '@relais/kernel';
import { SubjectVault } from '@relais/vault';
import type { Erasure } from '@relais/wire';

/** A subject id no case lists (and nobody erased): the DPO may have mistyped it. */
export class SubjectNotFoundError extends NotFound<'SUBJECT_NOT_FOUND'> {
  constructor(subjectId: string) {
    super('SUBJECT_NOT_FOUND', `No case lists the subject ${subjectId}`, 'subjectId');
  }
}

export interface ErasureTarget {
  readonly subjectId: string;
  readonly caseId: string;
}

/** Who erases: the DPO's staff id and organisation, or the retention job (`system`). */
export type ErasureAuthor =
  { readonly staffId: string; readonly organisationId: string } | 'system';

interface ErasureRow {
  subjectId: string;
  caseId: string;
  caseReference: string | null;
  reason: ErasureReason;
  erasedBy: string | null;
  erasedAt: Date;
}

const SELECT_ERASURES = `
  select e.subject_id::text as "subjectId", e.case_id as "caseId", c.reference as "caseReference",
    e.reason, e.erased_by as "erasedBy", e.erased_at as "erasedAt"
  from erasures e left join case_summaries c using (case_id)`;

/**
 * Erasure as a workflow (GDPR art. 17): the `PersonalDataErased` event and its `erasures` row
 * commit together, then the vault destroys the key and rotates its epoch (crypto-shredding). The
 * event id derives from the subject, and the row is the subject's: a retried or racing request,
 * from the API or from a second worker, finds the first erasure and writes nothing new, but still
 * finishes the vault's part should the first one have stopped before it.
 */
@Injectable()
export class Erasures {
  constructor(
    private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: TransactionalEventStore,
    private readonly notifier: CommitNotifier,
    private readonly vault: SubjectVault,
  ) {}

  /** The DPO's request: the person's case is found from the subject id. */
  async erase(
    subjectId: string,
    reason: ErasureReason,
    by: ErasureAuthor,
    at: Date,
  ): Promise<Erasure<Date>> {
    const id = subjectId.toLowerCase();
    const caseId = (await this.erasure(id))?.caseId ?? (await this.caseListing(id));
    if (caseId === undefined) throw new SubjectNotFoundError(id);
    noteCaseAccess([caseId], [id]);
    await this.eraseAll([{ subjectId: id, caseId }], reason, by, at);
    const done = await this.erasure(id);
    if (done === undefined) throw new Error(`The erasure of ${id} was not recorded`);
    return done;
  }

  /**
   * Records every erasure not yet recorded, in one transaction (in subject order, so that two
   * racing callers wait on each other rather than deadlock), then erases them all in the vault
   * with one rotation. Returns the subjects this call recorded.
   */
  async eraseAll(
    targets: readonly ErasureTarget[],
    reason: ErasureReason,
    by: ErasureAuthor,
    at: Date,
  ): Promise<string[]> {
    if (targets.length === 0) return [];
    const sorted = [...targets].sort((a, b) => a.subjectId.localeCompare(b.subjectId));
    const metadata: EventMetadata =
      by === 'system'
        ? { actor: 'system' }
        : { actor: by.staffId, organisation: by.organisationId };
    let signal = false;
    const recorded = await inTransaction(this.database.pool, async (client) => {
      const { rows } = await client.query<{ subject_id: string }>(
        `insert into erasures (subject_id, case_id, reason, erased_by, erased_at)
         select t.subject_id, t.case_id, $3, $4, $5
         from unnest($1::uuid[], $2::text[]) with ordinality as t (subject_id, case_id, n)
         order by n
         on conflict (subject_id) do nothing
         returning subject_id::text`,
        [
          sorted.map((t) => t.subjectId),
          sorted.map((t) => t.caseId),
          reason,
          by === 'system' ? null : by.staffId,
          at,
        ],
      );
      const store = this.store.within(client, () => (signal = true));
      const fresh = new Set(rows.map((r) => r.subject_id));
      for (const { subjectId, caseId } of sorted.filter((t) => fresh.has(t.subjectId))) {
        const event: PrivacyEvent = {
          type: 'PersonalDataErased',
          data: { subjectId, caseId, reason },
        };
        await store.append(
          erasureStreamId(subjectId),
          [{ eventId: uuidFromName(`erasure:${subjectId}`), ...event, metadata }],
          { expectedVersion: 'no_stream' },
        );
      }
      return [...fresh];
    });
    if (signal) this.notifier.signal();
    await this.vault.eraseAll(sorted.map((t) => t.subjectId));
    return recorded;
  }

  /** Erasures recorded whose key the vault still holds (a process stopped in between): finished. */
  async finishInterrupted(): Promise<number> {
    const { rows } = await this.database.pool.query<{ subject_id: string }>(
      `select e.subject_id::text from erasures e
       where exists (select from subject_keys k where k.subject_id = e.subject_id)`,
    );
    await this.vault.eraseAll(rows.map((r) => r.subject_id));
    return rows.length;
  }

  /** Newest first. */
  async list(limit = 1_000): Promise<Erasure<Date>[]> {
    const { rows } = await this.database.pool.query<ErasureRow>(
      `${SELECT_ERASURES} order by e.erased_at desc, e.subject_id limit $1`,
      [limit],
    );
    const erasures = rows.map(toErasure);
    noteCaseAccess(
      erasures.map((e) => e.caseId),
      erasures.map((e) => e.subjectId),
    );
    return erasures;
  }

  private async erasure(subjectId: string): Promise<Erasure<Date> | undefined> {
    const { rows } = await this.database.pool.query<ErasureRow>(
      `${SELECT_ERASURES} where e.subject_id = $1::uuid`,
      [subjectId],
    );
    return rows[0] && toErasure(rows[0]);
  }

  private async caseListing(subjectId: string): Promise<string | undefined> {
    const { rows } = await this.database.pool.query<{ case_id: string }>(
      `select case_id from case_summaries
       where state -> 'subjects' @> jsonb_build_array(jsonb_build_object('subjectId', $1::text))`,
      [subjectId],
    );
    return rows[0]?.case_id;
  }
}

function toErasure(row: ErasureRow): Erasure<Date> {
  return {
    subjectId: row.subjectId,
    caseId: row.caseId,
    caseReference: row.caseReference ?? row.caseId,
    reason: row.reason,
    erasedBy: row.erasedBy,
    erasedAt: row.erasedAt,
    erased: true,
  };
}
