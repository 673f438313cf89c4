/** What the API answers, as the web app reads it (the controllers are the source of truth). */

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An `application/problem+json` answer (RFC 9457), as the API sends every error. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly FieldProblem[];
}

export type Role = 'social_worker' | 'saj_delegate' | 'manager' | 'coordinator' | 'admin' | 'dpo';
export const ROLES: readonly Role[] = [
  'social_worker',
  'saj_delegate',
  'manager',
  'coordinator',
  'admin',
  'dpo',
];

export type OrganisationKind = 'CPAS' | 'SAJ' | 'SPJ' | 'OTHER';
export const ORGANISATION_KINDS: readonly OrganisationKind[] = ['CPAS', 'SAJ', 'SPJ', 'OTHER'];

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly territory:
    | { readonly kind: 'communes'; readonly communes: readonly string[] }
    | { readonly kind: 'arrondissements'; readonly arrondissements: readonly string[] };
  readonly contactEmail: string;
  readonly closureDays: readonly string[];
}

export interface Me {
  readonly staffId: string;
  readonly organisationId: string;
  readonly roles: readonly Role[];
  readonly email: string;
  readonly name?: string;
  readonly organisation: Organisation | null;
  /** What the caller may grant, from the API's role-granting table. */
  readonly grantableRoles: readonly Role[];
}

export interface StaffMember {
  readonly id: string;
  readonly organisationId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly active: boolean;
}

export interface Commune {
  readonly ins: string;
  readonly name: string;
  readonly arrondissement: string;
  readonly cpasId: string;
  readonly sajId: string;
  readonly spjId: string;
}

export interface TokenAnswer {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresAt: string;
}

export interface CaseSummary {
  readonly caseId: string;
  readonly reference: string;
  readonly status: 'open' | 'ended';
  readonly openedOn: string;
  readonly residenceCommune: string;
  readonly partnerIds: readonly string[];
  readonly activePartnerIds: readonly string[];
  readonly version: number;
  readonly lastRecordedAt: string;
}

export type LegalBasis = 'family_informed_consent' | 'judicial_mandate' | 'legal_obligation';

export interface FamilyMember {
  readonly subjectId: string;
  readonly role: string;
  readonly erased: boolean;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly birthDate?: string;
}

export interface CasePartner {
  readonly organisationId: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly status: 'active' | 'closed' | 'left';
  readonly legalBasis: LegalBasis;
  readonly consentId: string | null;
  readonly assignedStaffIds: readonly string[];
}

export interface CaseView {
  readonly id: string;
  readonly reference: string;
  readonly status: 'open' | 'ended';
  /** `former_partner`: the case as it was when the caller's organisation left it. */
  readonly access?: 'partner' | 'former_partner';
  readonly version: number;
  readonly openedOn: string;
  readonly openedBy: string;
  readonly residenceCommune: { readonly ins: string; readonly name: string | null };
  readonly family: readonly FamilyMember[];
  readonly partners: readonly CasePartner[];
  readonly consents: readonly {
    readonly consentId: string;
    readonly givenBy: string;
    readonly sharingWith: readonly string[];
    readonly withdrawn?: boolean;
  }[];
  readonly referrals: readonly {
    readonly referralId: string;
    readonly from?: string;
    readonly to: string;
    readonly reason?: string;
    readonly status: 'sent' | 'accepted' | 'declined';
  }[];
}

/** A referral waiting for the caller's answer: what it needs to decide, never who the family is. */
export interface ReferralView {
  readonly id: string;
  readonly reference: string;
  readonly status: 'open' | 'ended';
  readonly access: 'referral';
  readonly version: number;
  readonly openedOn: string;
  readonly residenceCommune: { readonly ins: string; readonly name: string | null };
  readonly referrals: readonly {
    readonly referralId: string;
    readonly from: string;
    readonly to: string;
    readonly status: 'sent';
    readonly reason: string | null;
    readonly sentOn: string | null;
    readonly sender: {
      readonly organisationId: string;
      readonly name: string;
      readonly contactEmail: string | null;
      readonly staffName: string | null;
      readonly staffEmail: string | null;
    };
  }[];
}

export interface TimelineEntry {
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly occurredOn: string;
  readonly recordedAt: string;
  readonly organisationId: string | null;
  readonly actorId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface DeliveryState {
  readonly channel: string;
  readonly status: 'delivered' | 'retrying' | 'dead';
  readonly attempts: number;
  readonly at: string;
  readonly reason: string | null;
}

export type ObligationStatus =
  'open' | 'acknowledged' | 'fulfilled_outside' | 'blocked_no_legal_basis';
export const OBLIGATION_STATUSES: readonly ObligationStatus[] = [
  'open',
  'acknowledged',
  'fulfilled_outside',
  'blocked_no_legal_basis',
];

export interface ObligationView {
  readonly id: string;
  readonly caseId: string;
  readonly obligedOrganisationId: string;
  readonly recipientOrganisationId: string;
  readonly protocolId: string;
  readonly ruleId: string;
  readonly eventType: string;
  readonly occurredOn: string;
  readonly dueOn: string;
  readonly acknowledgementDueOn: string | null;
  readonly status: ObligationStatus;
  readonly openedAt: string;
  readonly acknowledgedAt: string | null;
  readonly escalatedOn: string | null;
  readonly breachedOn: string | null;
  readonly fulfilledOutsideOn: string | null;
  readonly deliveries: readonly DeliveryState[];
}

export interface Notification {
  readonly id: string;
  readonly caseId: string;
  readonly from: string;
  readonly protocolId: string;
  readonly ruleId: string;
  readonly eventType: string;
  readonly occurredOn: string;
  readonly dueOn: string;
  readonly acknowledgementDueOn: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly status: 'open' | 'acknowledged' | 'fulfilled_outside';
  readonly assignedToMe: boolean;
  readonly receivedAt: string;
  readonly acknowledgedAt: string | null;
  readonly escalatedOn: string | null;
  readonly breachedOn: string | null;
  readonly fulfilledOutsideOn: string | null;
}

export interface ProtocolVersion {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly status: 'draft' | 'adopted' | 'superseded';
  readonly title: string;
  readonly signatories: readonly string[];
  readonly signedBy: readonly string[];
  readonly rules?: readonly { readonly id: string; readonly title?: string }[];
}

export interface Protocol {
  readonly id: string;
  readonly title: string;
  readonly endedOn: string | null;
  readonly versions: readonly ProtocolVersion[];
}

export interface SimulatedObligation {
  readonly ruleId: string;
  readonly ruleTitle?: string;
  readonly obligedOrganisationId: string;
  readonly recipientOrganisationId: string;
  readonly dueOn: string;
  readonly acknowledgementWithinWorkingDays: number | null;
  readonly sharedData: Readonly<Record<string, unknown>>;
  readonly shareAssignedWorkerContact: boolean;
  readonly channels: readonly string[];
  readonly legalBasis: string;
}

export interface Simulation {
  readonly protocolId: string;
  readonly version: number | null;
  readonly obligations: readonly SimulatedObligation[];
}

export interface LoggedResult {
  readonly caseId: string;
  readonly eventIds: readonly string[];
  readonly version: number;
}

export interface Webhook {
  readonly organisationId: string;
  readonly url: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** Only in the answer that sets it. */
  readonly secret?: string;
}

export interface WebhookDelivery {
  /** The idempotency key every attempt carries. */
  readonly id: string;
  readonly obligationId: string;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
}
