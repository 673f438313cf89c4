import { Pool } from 'pg';

/**
 * How long committed events have been held back by the read barrier: readers stop at the oldest
 * transaction still running (on the whole server, not only this database), so a long transaction
 * holds back every reader. Measured as that transaction's age by the database's clock, since
 * events carry the app's clock in `recorded_at`; only when PostgreSQL hides its start (another
 * role's session, without `pg_read_all_stats`) from its oldest waiting event. 0 when none waits.
 */
export async function readBarrierAgeMs(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ age_ms: string | null }>(
    `with barrier as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
     waiting as (select min(e.recorded_at) as oldest from events e, barrier where e.transaction_id >= barrier.xmin),
     holder as (select min(a.xact_start) as started from pg_stat_activity a, barrier
                where a.backend_xid = barrier.xmin::xid)
     select extract(epoch from coalesce(clock_timestamp() - holder.started, now() - waiting.oldest)) * 1000 as age_ms
     from waiting, holder where waiting.oldest is not null`,
  );
  return Math.max(0, Math.round(Number(rows[0]?.age_ms ?? 0)));
}
