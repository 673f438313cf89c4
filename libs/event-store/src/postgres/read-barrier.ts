import { Pool } from 'pg';

/**
 * How long committed events have waited behind the read barrier: readers stop at the oldest
 * transaction still running, so a long transaction holds back every reader. 0 when none waits.
 */
export async function readBarrierAgeMs(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ age_ms: string | null }>(
    `select extract(epoch from now() - min(recorded_at)) * 1000 as age_ms
       from events where transaction_id >= pg_snapshot_xmin(pg_current_snapshot())`,
  );
  return Math.max(0, Math.round(Number(rows[0]?.age_ms ?? 0)));
}
