import type { FamilyMember } from './cases.js';
import type { LegalBasis, ObligationStatus, SubjectRole } from './vocabulary.js';

/**
 * Why a route read case content, as each access-log entry records it: `case_follow_up`,
 * `acknowledgement`, `compliance_follow_up`, `dpo_review`, … (the API's `ACCESS_PURPOSES`).
 */
export type AccessPurposeCode = string;

/** `GET /access-log`: one read of case content, as the DPO searches it. */
export interface AccessLogEntry {
  readonly at: string;
  readonly day: string;
  readonly seq: number;
  readonly staffId: string;
  readonly organisationId: string;
  readonly route: string;
  readonly purpose: AccessPurposeCode;
  readonly outcome: 'allowed' | 'denied' | 'refused';
  readonly status: number;
  readonly caseIds: readonly string[];
  /** The same cases with their references (null for an id no case bears: a denied guess). */
  readonly cases: readonly { readonly caseId: string; readonly reference: string | null }[];
  readonly subjectIds: readonly string[];
  readonly requestId: string;
  readonly clientAddress: string | null;
  readonly hash: string;
}

/** A case a person found by the DPO is a member of: no other personal data. */
export interface SubjectCase {
  readonly caseId: string;
  readonly reference: string;
  readonly status: 'open' | 'ended';
  readonly openedOn: string;
  readonly role: SubjectRole;
}

/** `GET /dpo/subjects?niss=|name=`: the people the vault's blind index finds. */
export interface SubjectMatch {
  readonly subjectId: string;
  readonly cases: readonly SubjectCase[];
}

/** An organisation as the family reads it: its name, not its id alone. */
export interface NamedOrganisation {
  readonly id: string;
  readonly name: string;
}

/** One event of a case: when, who logged it, what it was (codes, never free text). */
export interface ReportEvent {
  readonly type: string;
  readonly occurredOn: string;
  readonly recordedAt: string;
  readonly organisation: NamedOrganisation | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * What the protocol told another organisation: the fields shared, the recipient, the legal basis
 * it received on (`competence`: the organisation competent for the family's commune, by the
 * protocol; null when nothing was sent for want of one) and the rule.
 */
export interface ReportNotification {
  readonly obligationId: string;
  readonly eventType: string;
  readonly occurredOn: string;
  readonly from: NamedOrganisation;
  readonly to: NamedOrganisation;
  readonly legalBasis: LegalBasis | 'competence' | null;
  readonly rule: { readonly protocolId: string; readonly ruleId: string; readonly title: string };
  readonly status: ObligationStatus;
  readonly sharedFields: readonly string[];
  readonly sharedData: Readonly<Record<string, unknown>>;
  readonly channels: readonly string[];
  readonly openedAt: string;
  readonly acknowledgedAt: string | null;
}

export interface ReportCase {
  readonly caseId: string;
  readonly reference: string;
  readonly status: 'open' | 'ended';
  readonly openedOn: string;
  readonly role: SubjectRole;
  readonly residenceCommune: { readonly ins: string; readonly name: string | null };
  readonly partners: readonly (NamedOrganisation & {
    readonly legalBasis: LegalBasis;
    readonly status: 'active' | 'closed' | 'left';
  })[];
  readonly events: readonly ReportEvent[];
  readonly notifications: readonly ReportNotification[];
}

/** One read of the person's file: who, of which organisation, when, why. */
export interface ReportAccess {
  readonly at: string;
  readonly staff: { readonly id: string; readonly name: string | null };
  readonly organisation: NamedOrganisation;
  readonly route: string;
  readonly purpose: AccessPurposeCode;
  readonly outcome: 'allowed' | 'denied' | 'refused';
  readonly caseIds: readonly string[];
}

/** `GET /dpo/subjects/:id/report`: everything Relais holds and has shared about one person (GDPR art. 15). */
export interface SubjectReport {
  readonly subjectId: string;
  readonly generatedOn: string;
  readonly person: Omit<FamilyMember, 'role'>;
  readonly cases: readonly ReportCase[];
  readonly accesses: readonly ReportAccess[];
}
