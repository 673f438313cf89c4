import { STAFF_ROLES, StaffRole } from '@relais/domain';

export const ROLES = STAFF_ROLES;

export type Role = StaffRole;

/** The authenticated member of staff behind a request. */
export interface Principal {
  readonly staffId: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
  readonly email: string;
  readonly name?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
