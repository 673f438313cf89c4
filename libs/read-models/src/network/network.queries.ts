import type { SqlTransaction } from '@relais/database';
import { Injectable } from '@nestjs/common';
import type { OrganisationKind, OrganisationView, StaffView, WorkerContact } from '@relais/wire';
import { Pool } from 'pg';

const ORGANISATION = `select id, name, kind, territory, contact_email as "contactEmail",
  coalesce(array(select to_char(d, 'YYYY-MM-DD') from unnest(closure_days) d), '{}') as "closureDays"
  from organisations`;
const STAFF = `select id, organisation_id as "organisationId", name, email, roles, active, phone from staff`;

@Injectable()
export class NetworkQueries {
  constructor(private readonly pool: Pool) {}

  async organisations(kind?: OrganisationKind): Promise<OrganisationView[]> {
    const { rows } = await this.pool.query<OrganisationView>(
      `${ORGANISATION} where $1::text is null or kind = $1 order by kind, name`,
      [kind ?? null],
    );
    return rows;
  }

  async organisation(id: string): Promise<OrganisationView | undefined> {
    const { rows } = await this.pool.query<OrganisationView>(`${ORGANISATION} where id = $1`, [id]);
    return rows[0];
  }

  async staff(organisationId?: string): Promise<StaffView[]> {
    const { rows } = await this.pool.query<StaffView>(
      `${STAFF} where $1::text is null or organisation_id = $1 order by organisation_id, name`,
      [organisationId ?? null],
    );
    return rows;
  }

  async staffMember(id: string): Promise<StaffView | undefined> {
    const { rows } = await this.pool.query<StaffView>(`${STAFF} where id = $1`, [id]);
    return rows[0];
  }

  async staffByEmail(email: string): Promise<StaffView | undefined> {
    const { rows } = await this.pool.query<StaffView>(`${STAFF} where email = $1`, [
      email.trim().toLowerCase(),
    ]);
    return rows[0];
  }
}

/** The active ones among these staff members, by name. */
export async function workerContacts(
  db: SqlTransaction,
  staffIds: readonly string[],
): Promise<WorkerContact[]> {
  if (staffIds.length === 0) return [];
  const { rows } = await db.query<WorkerContact>(
    `select name, email, phone, organisation_id as "organisationId" from staff
     where id = any($1::text[]) and active order by name`,
    [staffIds],
  );
  return rows;
}
