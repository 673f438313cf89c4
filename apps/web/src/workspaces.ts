import type { StaffRole } from '@relais/wire';

/** The workspaces of the web app, in the order of the navigation. */
export type Workspace =
  'cases' | 'inbox' | 'outgoing' | 'dashboard' | 'coordination' | 'admin' | 'dpo';

export const WORKSPACE_PATHS: Readonly<Record<Workspace, string>> = {
  cases: '/cases',
  inbox: '/inbox',
  outgoing: '/outgoing',
  dashboard: '/dashboard',
  coordination: '/coordination',
  admin: '/admin',
  dpo: '/dpo',
};

/** Which roles open which workspace: the same as the API's `@Roles` on the routes each one calls. */
const ALLOWED: Readonly<Record<Workspace, readonly StaffRole[]>> = {
  cases: ['social_worker', 'saj_delegate'],
  inbox: ['social_worker', 'saj_delegate', 'manager'],
  outgoing: ['social_worker', 'saj_delegate', 'manager'],
  dashboard: ['manager', 'coordinator', 'admin'],
  /** The coordinator runs it; any member of staff reads the bodies they sit in. */
  coordination: ['coordinator', 'social_worker', 'saj_delegate', 'manager'],
  admin: ['admin', 'coordinator', 'manager'],
  dpo: ['dpo'],
};

export function workspacesFor(roles: readonly StaffRole[]): Workspace[] {
  return (Object.keys(ALLOWED) as Workspace[]).filter((workspace) =>
    ALLOWED[workspace].some((role) => roles.includes(role)),
  );
}

export function mayUse(roles: readonly StaffRole[], workspace: Workspace): boolean {
  return workspacesFor(roles).includes(workspace);
}

/** The sections of the administration workspace, and who may do what in each. */
export type AdminSection = 'organisations' | 'staff' | 'protocols' | 'webhook' | 'retention';

const ADMIN_SECTIONS: Readonly<Record<AdminSection, readonly StaffRole[]>> = {
  organisations: ['admin', 'coordinator', 'manager'],
  staff: ['admin', 'coordinator', 'manager'],
  protocols: ['admin', 'coordinator', 'manager'],
  webhook: ['admin', 'manager'],
  retention: ['admin'],
};

export function adminSectionsFor(roles: readonly StaffRole[]): AdminSection[] {
  return (Object.keys(ADMIN_SECTIONS) as AdminSection[]).filter((section) =>
    ADMIN_SECTIONS[section].some((role) => roles.includes(role)),
  );
}

export const may = {
  registerOrganisation: (roles: readonly StaffRole[]) => roles.includes('admin'),
  registerStaff: (roles: readonly StaffRole[]) =>
    roles.includes('admin') || roles.includes('manager'),
  uploadProtocol: (roles: readonly StaffRole[]) =>
    roles.includes('admin') || roles.includes('coordinator'),
  signProtocol: (roles: readonly StaffRole[]) =>
    roles.includes('admin') || roles.includes('manager'),
  manageAnyWebhook: (roles: readonly StaffRole[]) => roles.includes('admin'),
  coordinate: (roles: readonly StaffRole[]) => roles.includes('coordinator'),
};
