import { STAFF_ROLES, StaffRole } from '@relais/domain';

export const ROLES = STAFF_ROLES;

export type Role = StaffRole;

export type { Principal } from '@relais/wire';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
