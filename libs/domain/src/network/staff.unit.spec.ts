import { fold, NotFound, PermissionDenied } from '../decider';
import { NetworkRuleViolation } from './network';
import {
  grantableRoles,
  ROLE_GRANTS,
  StaffAdministrator,
  StaffCommand,
  staffDecider,
  StaffEvent,
} from './staff';

const admin: StaffAdministrator = {
  kind: 'staff',
  staffId: 'admin-1',
  organisationId: 'coordination-dinant',
  roles: ['admin'],
};
const sajManager: StaffAdministrator = {
  kind: 'staff',
  staffId: 'chef-saj',
  organisationId: 'saj-dinant',
  roles: ['manager'],
};
const delegate: StaffAdministrator = {
  kind: 'staff',
  staffId: 'delegue-1',
  organisationId: 'saj-dinant',
  roles: ['saj_delegate'],
};

const registered = (roles: string[] = ['saj_delegate']) =>
  ({
    type: 'StaffMemberRegistered',
    data: {
      staffId: 'delegue-2',
      organisationId: 'saj-dinant',
      name: 'Délégué 2',
      email: 'delegue2@saj-dinant.demo',
      roles,
    },
  }) as StaffEvent;

const register = (roles: string[], organisationId = 'saj-dinant'): StaffCommand =>
  ({
    type: 'RegisterStaffMember',
    data: {
      staffId: 'delegue-2',
      organisationId,
      organisationKind: organisationId.startsWith('cpas') ? 'CPAS' : 'SAJ',
      name: 'Délégué 2',
      email: 'delegue2@saj-dinant.demo',
      roles,
    },
  }) as StaffCommand;

const given = (history: readonly StaffEvent[]) => ({
  when: (command: StaffCommand, by: StaffAdministrator) => {
    const decide = () => staffDecider.decide(command, fold(staffDecider, history), { by });
    return {
      then: (expected: readonly StaffEvent[]) => expect(decide()).toEqual(expected),
      thenRefuses: (type: new (...args: never[]) => Error, code: string) => {
        expect(decide).toThrow(type);
        expect(decide).toThrow(expect.objectContaining({ code }) as Error);
      },
    };
  },
});

describe('the role-granting table', () => {
  it('an admin grants every role, a manager three, everyone else none', () => {
    expect(grantableRoles(['admin'])).toEqual([
      'social_worker',
      'saj_delegate',
      'manager',
      'coordinator',
      'admin',
      'dpo',
    ]);
    expect(grantableRoles(['manager'])).toEqual(['social_worker', 'saj_delegate', 'manager']);
    for (const role of ['social_worker', 'saj_delegate', 'coordinator', 'dpo'] as const) {
      expect(ROLE_GRANTS[role]).toEqual([]);
    }
  });

  it('holding several roles grants the union', () => {
    expect(grantableRoles(['dpo', 'manager'])).toEqual(grantableRoles(['manager']));
  });
});

describe('staff decider', () => {
  it('a manager registers a delegate in their organisation', () => {
    given([])
      .when(register(['saj_delegate']), sajManager)
      .then([registered()]);
  });

  it.each([['admin'], ['coordinator'], ['dpo']])('a manager cannot grant %s', (role) => {
    given([])
      .when(register([role]), sajManager)
      .thenRefuses(PermissionDenied, 'ROLE_NOT_GRANTABLE');
  });

  it('a manager cannot register staff elsewhere', () => {
    given([])
      .when(register(['social_worker'], 'cpas-ciney'), sajManager)
      .thenRefuses(PermissionDenied, 'NOT_YOUR_ORGANISATION');
  });

  it('a delegate administers nobody', () => {
    given([])
      .when(register(['saj_delegate']), delegate)
      .thenRefuses(PermissionDenied, 'NOT_YOUR_ORGANISATION');
  });

  it('an admin registers an admin anywhere; the delegate role only in youth aid', () => {
    given([])
      .when(register(['admin']), admin)
      .then([registered(['admin'])]);
    given([])
      .when(register(['saj_delegate'], 'cpas-ciney'), admin)
      .thenRefuses(NetworkRuleViolation, 'ROLE_NOT_FOR_ORGANISATION');
  });

  it('an update records a new professional phone, keeps it when not given, and removes it with null', () => {
    const update = (phone: string | null | undefined) =>
      ({
        type: 'UpdateStaffMember',
        data: { organisationKind: 'SAJ', ...(phone === undefined ? {} : { phone }) },
      }) as StaffCommand;
    const withPhone: StaffEvent = {
      type: 'StaffMemberUpdated',
      data: {
        staffId: 'delegue-2',
        name: 'Délégué 2',
        roles: ['saj_delegate'],
        phone: '+3281234567',
      },
    };
    given([registered()]).when(update('+3281234567'), sajManager).then([withPhone]);
    given([registered(), withPhone]).when(update(undefined), sajManager).then([]);
    given([registered(), withPhone]).when(update('+3281234567'), sajManager).then([]);
    given([registered(), withPhone])
      .when(update(null), sajManager)
      .then([{ ...withPhone, data: { ...withPhone.data, phone: null } }]);
  });

  it('an update records the new name and roles; an update that changes nothing records nothing', () => {
    const update = (roles: string[]) =>
      ({
        type: 'UpdateStaffMember',
        data: { organisationKind: 'SAJ', roles },
      }) as StaffCommand;
    given([registered()])
      .when(update(['saj_delegate', 'manager']), sajManager)
      .then([
        {
          type: 'StaffMemberUpdated',
          data: {
            staffId: 'delegue-2',
            name: 'Délégué 2',
            roles: ['saj_delegate', 'manager'],
            phone: null,
          },
        },
      ]);
    given([registered()])
      .when(update(['saj_delegate']), sajManager)
      .then([]);
    given([registered()])
      .when(update(['admin']), sajManager)
      .thenRefuses(PermissionDenied, 'ROLE_NOT_GRANTABLE');
  });

  it('a manager cannot change or deactivate someone holding a role they cannot grant', () => {
    given([registered(['dpo'])])
      .when({ type: 'DeactivateStaffMember' }, sajManager)
      .thenRefuses(PermissionDenied, 'STAFF_NOT_MANAGEABLE');
  });

  it('deactivating twice records one deactivation; reactivating brings the account back', () => {
    const deactivated: StaffEvent = {
      type: 'StaffMemberDeactivated',
      data: { staffId: 'delegue-2' },
    };
    given([registered()]).when({ type: 'DeactivateStaffMember' }, sajManager).then([deactivated]);
    given([registered(), deactivated]).when({ type: 'DeactivateStaffMember' }, sajManager).then([]);
    given([registered(), deactivated])
      .when({ type: 'ReactivateStaffMember' }, sajManager)
      .then([{ type: 'StaffMemberReactivated', data: { staffId: 'delegue-2' } }]);
    expect(fold(staffDecider, [registered(), deactivated])).toMatchObject({
      status: 'deactivated',
    });
  });

  it('nobody deactivates themselves; an unknown account is not found', () => {
    given([registered(['manager'])])
      .when({ type: 'DeactivateStaffMember' }, { ...sajManager, staffId: 'delegue-2' })
      .thenRefuses(NetworkRuleViolation, 'CANNOT_DEACTIVATE_SELF');
    given([])
      .when({ type: 'DeactivateStaffMember' }, admin)
      .thenRefuses(NotFound, 'UNKNOWN_STAFF_MEMBER');
  });
});
