import { assertNever, Decider, NotFound, PermissionDenied } from '../decider';
import { OrganisationKind } from '../case/case.events';
import {
  checkRolesFit,
  NetworkRuleViolation,
  NetworkEvent,
  STAFF_ROLES,
  StaffRole,
} from './network';

/**
 * Who may grant which role: one table, read by the API, the web form and the README.
 * An admin grants any role; a manager grants case-work roles and their own, in their organisation.
 * No other role grants anything.
 */
export const ROLE_GRANTS: Readonly<Record<StaffRole, readonly StaffRole[]>> = {
  admin: STAFF_ROLES,
  manager: ['social_worker', 'saj_delegate', 'manager'],
  social_worker: [],
  saj_delegate: [],
  coordinator: [],
  dpo: [],
};

/** The roles a holder of `roles` may grant, in the table's order. */
export function grantableRoles(roles: readonly StaffRole[]): StaffRole[] {
  return STAFF_ROLES.filter((role) => roles.some((held) => ROLE_GRANTS[held].includes(role)));
}

/** Who administers staff: a member of staff, or the system itself (the demo seed, the CLI). */
export type StaffAdministrator =
  | {
      readonly kind: 'staff';
      readonly staffId: string;
      readonly organisationId: string;
      readonly roles: readonly StaffRole[];
    }
  | { readonly kind: 'system' };

export type StaffEvent = Extract<
  NetworkEvent,
  {
    type:
      | 'StaffMemberRegistered'
      | 'StaffMemberUpdated'
      | 'StaffMemberDeactivated'
      | 'StaffMemberReactivated';
  }
>;

export type StaffCommand =
  | {
      readonly type: 'RegisterStaffMember';
      readonly data: {
        readonly staffId: string;
        readonly organisationId: string;
        readonly organisationKind: OrganisationKind;
        readonly name: string;
        readonly email: string;
        readonly roles: readonly StaffRole[];
        readonly phone?: string;
      };
    }
  | {
      readonly type: 'UpdateStaffMember';
      readonly data: {
        readonly organisationKind: OrganisationKind;
        readonly name?: string;
        readonly roles?: readonly StaffRole[];
        /** A new professional phone, or null to remove it; absent: unchanged. */
        readonly phone?: string | null;
      };
    }
  | { readonly type: 'DeactivateStaffMember' }
  | { readonly type: 'ReactivateStaffMember' };

export type StaffState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'deactivated';
      readonly staffId: string;
      readonly organisationId: string;
      readonly name: string;
      readonly email: string;
      readonly roles: readonly StaffRole[];
      readonly phone?: string;
    };

export interface StaffContext {
  readonly by: StaffAdministrator;
}

function evolve(state: StaffState, event: StaffEvent): StaffState {
  switch (event.type) {
    case 'StaffMemberRegistered':
      return { status: 'active', ...event.data };
    case 'StaffMemberUpdated':
      if (state.status === 'none') return state;
      if (event.data.phone === undefined)
        return { ...state, name: event.data.name, roles: event.data.roles };
      return {
        ...state,
        name: event.data.name,
        roles: event.data.roles,
        ...(event.data.phone === null ? { phone: undefined } : { phone: event.data.phone }),
      };
    case 'StaffMemberDeactivated':
      return state.status === 'none' ? state : { ...state, status: 'deactivated' };
    case 'StaffMemberReactivated':
      return state.status === 'none' ? state : { ...state, status: 'active' };
    default:
      return assertNever(event);
  }
}

function checkGrantable(by: StaffAdministrator, roles: readonly StaffRole[]): void {
  if (by.kind === 'system') return;
  const allowed = grantableRoles(by.roles);
  const refused = roles.filter((role) => !allowed.includes(role));
  if (refused.length > 0) {
    throw new PermissionDenied(
      'ROLE_NOT_GRANTABLE',
      `Your roles do not let you grant ${refused.join(', ')}`,
      'roles',
    );
  }
}

/** An admin administers anyone; a manager, the staff of their organisation only. */
export function checkAdministers(by: StaffAdministrator, organisationId: string): void {
  if (by.kind === 'system' || by.roles.includes('admin')) return;
  if (!by.roles.includes('manager') || by.organisationId !== organisationId) {
    throw new PermissionDenied(
      'NOT_YOUR_ORGANISATION',
      'A manager administers their own organisation and its staff only',
      'organisationId',
    );
  }
}

function existing(state: StaffState) {
  if (state.status === 'none') {
    throw new NotFound('UNKNOWN_STAFF_MEMBER', 'No such member of staff');
  }
  return state;
}

/** Someone who could not grant the roles a member of staff holds cannot change or deactivate them. */
function checkMayChange(by: StaffAdministrator, member: Exclude<StaffState, { status: 'none' }>) {
  checkAdministers(by, member.organisationId);
  if (by.kind === 'system') return;
  const allowed = grantableRoles(by.roles);
  if (!member.roles.every((role) => allowed.includes(role))) {
    throw new PermissionDenied(
      'STAFF_NOT_MANAGEABLE',
      'This member of staff holds a role you cannot grant',
    );
  }
}

function decide(command: StaffCommand, state: StaffState, { by }: StaffContext): StaffEvent[] {
  switch (command.type) {
    case 'RegisterStaffMember': {
      const { organisationKind, ...data } = command.data;
      checkAdministers(by, data.organisationId);
      checkGrantable(by, data.roles);
      checkRolesFit(data.roles, organisationKind);
      if (state.status !== 'none') {
        throw new NetworkRuleViolation('STAFF_EXISTS', `Staff member ${data.staffId} exists`);
      }
      return [{ type: 'StaffMemberRegistered', data }];
    }
    case 'UpdateStaffMember': {
      const member = existing(state);
      checkMayChange(by, member);
      const name = command.data.name ?? member.name;
      const roles = command.data.roles ?? member.roles;
      const phone = command.data.phone === undefined ? (member.phone ?? null) : command.data.phone;
      checkGrantable(by, roles);
      checkRolesFit(roles, command.data.organisationKind);
      const same =
        name === member.name &&
        phone === (member.phone ?? null) &&
        roles.length === member.roles.length &&
        roles.every((role) => member.roles.includes(role));
      return same
        ? []
        : [{ type: 'StaffMemberUpdated', data: { staffId: member.staffId, name, roles, phone } }];
    }
    case 'DeactivateStaffMember': {
      const member = existing(state);
      checkMayChange(by, member);
      if (by.kind === 'staff' && by.staffId === member.staffId) {
        throw new NetworkRuleViolation(
          'CANNOT_DEACTIVATE_SELF',
          'Nobody deactivates their own account: ask another administrator',
        );
      }
      return member.status === 'deactivated'
        ? []
        : [{ type: 'StaffMemberDeactivated', data: { staffId: member.staffId } }];
    }
    case 'ReactivateStaffMember': {
      const member = existing(state);
      checkMayChange(by, member);
      return member.status === 'active'
        ? []
        : [{ type: 'StaffMemberReactivated', data: { staffId: member.staffId } }];
    }
    default:
      return assertNever(command);
  }
}

export const staffDecider: Decider<StaffCommand, StaffEvent, StaffState, StaffContext> = {
  initialState: { status: 'none' },
  evolve,
  decide,
};

export const STAFF_EVENT_TYPES: readonly StaffEvent['type'][] = [
  'StaffMemberRegistered',
  'StaffMemberUpdated',
  'StaffMemberDeactivated',
  'StaffMemberReactivated',
];

export function isStaffEvent(event: { type: string }): event is StaffEvent {
  return (STAFF_EVENT_TYPES as readonly string[]).includes(event.type);
}
