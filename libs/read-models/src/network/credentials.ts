import { Injectable } from '@nestjs/common';
import { Migration } from '@relais/database';
import { Pool } from 'pg';

/** Password hashes are credentials, not facts: kept beside the store, replaced when changed. */
export const credentialMigrations: readonly Migration[] = [
  {
    id: '0300_staff_credentials',
    sql: `create table staff_credentials (
      staff_id text primary key,
      password_hash text not null,
      updated_at timestamptz not null default now())`,
  },
];

@Injectable()
export class Credentials {
  constructor(private readonly pool: Pool) {}

  async set(staffId: string, passwordHash: string): Promise<void> {
    await this.pool.query(
      `insert into staff_credentials (staff_id, password_hash) values ($1, $2)
       on conflict (staff_id) do update set password_hash = $2, updated_at = now()`,
      [staffId, passwordHash],
    );
  }

  async hashOf(staffId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ password_hash: string }>(
      'select password_hash from staff_credentials where staff_id = $1',
      [staffId],
    );
    return rows[0]?.password_hash;
  }
}
