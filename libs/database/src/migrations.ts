import { createHash } from 'node:crypto';
import { Pool } from 'pg';

export interface Migration {
  /** Sortable and never renamed once shipped, e.g. `0001_event_store`. */
  readonly id: string;
  readonly sql: string;
}

export class MigrationChangedError extends Error {
  constructor(readonly migrationId: string) {
    super(`Migration ${migrationId} was changed after it was applied; add a new migration instead`);
    this.name = 'MigrationChangedError';
  }
}

const MIGRATION_LOCK = 0x52454c41; // "RELA": one key for every Relais process on the database

/**
 * Applies pending migrations in id order, all in one transaction: a failure leaves none applied. Several processes may start
 * at once: a transaction-level advisory lock lets one of them migrate while the others wait, then
 * find nothing left to do.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const applied: string[] = [];
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`create table if not exists schema_migrations (
      id text primary key,
      checksum text not null,
      applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ id: string; checksum: string }>(
      'select id, checksum from schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.id, r.checksum]));
    for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
      const checksum = createHash('sha256').update(migration.sql).digest('hex');
      const known = done.get(migration.id);
      if (known === checksum) continue;
      if (known !== undefined) throw new MigrationChangedError(migration.id);
      await client.query(migration.sql);
      await client.query('insert into schema_migrations (id, checksum) values ($1, $2)', [
        migration.id,
        checksum,
      ]);
      applied.push(migration.id);
    }
    await client.query('commit');
    return applied;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function pendingMigrations(
  pool: Pool,
  migrations: readonly Migration[],
): Promise<string[]> {
  const table = await pool.query<{ present: boolean }>(
    "select to_regclass('schema_migrations') is not null as present",
  );
  if (!table.rows[0]?.present) return migrations.map((m) => m.id);
  const { rows } = await pool.query<{ id: string }>('select id from schema_migrations');
  const done = new Set(rows.map((r) => r.id));
  return migrations.map((m) => m.id).filter((id) => !done.has(id));
}
