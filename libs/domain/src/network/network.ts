import { DomainRuleViolation, IsoDate } from '../decider';
import { OrganisationKind } from '../case/case.events';
import type { StaffRole, Territory } from '@relais/wire';

export { STAFF_ROLES, type StaffRole, type Territory } from '@relais/wire';

export type NetworkEvent =
  | {
      type: 'OrganisationRegistered';
      data: {
        organisationId: string;
        name: string;
        kind: OrganisationKind;
        territory: Territory;
        contactEmail: string;
        /** Days the organisation is closed besides weekends and public holidays. */
        closureDays: readonly IsoDate[];
      };
    }
  | {
      type: 'OrganisationUpdated';
      data: {
        organisationId: string;
        name: string;
        contactEmail: string;
        closureDays: readonly IsoDate[];
      };
    }
  /** The e-mail address's own stream: reserves it for one account. */
  | { type: 'StaffEmailReserved'; data: { staffId: string } }
  | {
      type: 'StaffMemberRegistered';
      data: {
        staffId: string;
        organisationId: string;
        name: string;
        email: string;
        roles: readonly StaffRole[];
        /** Professional phone, `+32…`. */
        phone?: string;
      };
    }
  | {
      type: 'StaffMemberUpdated';
      /** `phone`: null once removed; absent from events written before staff had one. */
      data: { staffId: string; name: string; roles: readonly StaffRole[]; phone?: string | null };
    }
  | { type: 'StaffMemberDeactivated'; data: { staffId: string } }
  | { type: 'StaffMemberReactivated'; data: { staffId: string } }
  /** Where the organisation's webhook goes; its secret stays sealed beside the store, never in an event. */
  | { type: 'WebhookConfigured'; data: { organisationId: string; url: string } }
  | { type: 'WebhookRemoved'; data: { organisationId: string } };

export type NetworkRuleCode =
  | 'ORGANISATION_EXISTS'
  | 'UNKNOWN_ORGANISATION'
  | 'STAFF_EMAIL_TAKEN'
  | 'STAFF_EXISTS'
  | 'UNKNOWN_STAFF_MEMBER'
  | 'CANNOT_DEACTIVATE_SELF'
  | 'ROLE_NOT_FOR_ORGANISATION';

export class NetworkRuleViolation extends DomainRuleViolation<NetworkRuleCode> {}

export const organisationStreamId = (organisationId: string) => `organisation-${organisationId}`;
export const staffStreamId = (staffId: string) => `staff-${staffId}`;
/** One stream per e-mail address: appending to it with `no_stream` reserves the address. */
export const webhookStreamId = (organisationId: string) => `webhook-${organisationId}`;
export const staffEmailStreamId = (email: string) => `staff-email-${email.trim().toLowerCase()}`;

/** The delegate role belongs to youth aid services; the others exist everywhere. */
export function checkRolesFit(roles: readonly StaffRole[], kind: OrganisationKind): void {
  if (roles.includes('saj_delegate') && kind !== 'SAJ' && kind !== 'SPJ') {
    throw new NetworkRuleViolation(
      'ROLE_NOT_FOR_ORGANISATION',
      `A ${kind} has no SAJ delegates`,
      'roles',
    );
  }
}
