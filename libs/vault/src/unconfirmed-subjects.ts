import { Pool } from 'pg';

export interface UnconfirmedSubject {
  readonly subjectId: string;
  /** The stream whose first event is to refer to the subject: `case-<id>`. */
  readonly ownerStream: string;
}

/**
 * Subjects entering the vault before the event that refers to them is stored. A command notes
 * them first, writes the vault, appends, then confirms them; a crash anywhere in between leaves
 * them noted, and the sweep decides from the owner stream whether they were kept or are orphans.
 * The vault cannot join the event's transaction: the event store may be another database.
 */
export class UnconfirmedSubjects {
  constructor(private readonly db: Pool) {}

  async note(ownerStream: string, subjectIds: readonly string[]): Promise<void> {
    if (subjectIds.length === 0) return;
    await this.db.query(
      `insert into vault_unconfirmed_subjects (subject_id, owner_stream)
       select unnest($1::uuid[]), $2
       on conflict (subject_id) do update set noted_at = now()`,
      [subjectIds, ownerStream],
    );
  }

  async confirm(subjectIds: readonly string[]): Promise<void> {
    if (subjectIds.length === 0) return;
    await this.db.query(
      'delete from vault_unconfirmed_subjects where subject_id = any($1::uuid[])',
      [subjectIds],
    );
  }

  /** Noted longer ago than the grace period, by the database's clock; the oldest first. */
  async olderThan(graceSeconds: number, limit = 500): Promise<UnconfirmedSubject[]> {
    const { rows } = await this.db.query<{ subject_id: string; owner_stream: string }>(
      `select subject_id, owner_stream from vault_unconfirmed_subjects
       where noted_at < now() - make_interval(secs => $1)
       order by noted_at limit $2`,
      [graceSeconds, limit],
    );
    return rows.map((r) => ({ subjectId: r.subject_id, ownerStream: r.owner_stream }));
  }
}
