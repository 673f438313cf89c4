import type { LegalBasis, OrganisationKind, SubjectRole } from './vocabulary.js';

/** `GET /cases`: one page, newest change first; `next` is the cursor of the following page (`?after=`). */
export interface CasePage<Time = string> {
  readonly items: readonly CaseSummary<Time>[];
  /** Null on the last page. */
  readonly next: string | null;
}

/**
 * `POST /cases/preview`: what opening this case would meet. `openCases`: for each family member
 * whose NISS the blind index finds on a case still open in the caller's organisation, that case
 * (never the NISS, never another organisation's case).
 */
export interface OpenCasePreview {
  readonly openCases: readonly {
    /** The family member's place in the body: `familyMembers.<member>.niss`. */
    readonly member: number;
    readonly caseId: string;
    readonly reference: string;
    readonly openedOn: string;
  }[];
}

/** A case of `GET /cases`; `Time` is a `Date` in the API and its ISO text once JSON carries it. */
export interface CaseSummary<Time = string> {
  readonly caseId: string;
  readonly reference: string;
  readonly status: 'open' | 'ended';
  readonly openedOn: string;
  readonly residenceCommune: string;
  readonly partnerIds: readonly string[];
  readonly activePartnerIds: readonly string[];
  readonly version: number;
  readonly lastRecordedAt: Time;
  /** The family by name, from the vault: the caller's organisation is a partner (see `NamedMember`). */
  readonly family: readonly NamedMember[];
}

/**
 * A family member on a list (cases, inbox cards): the name only, for an organisation that holds
 * the case or joined it on a legal basis; erased, no name. Never before a referral is accepted.
 */
export type NamedMember = Pick<
  FamilyMember,
  'subjectId' | 'role' | 'erased' | 'firstName' | 'lastName'
>;

/** A family member as a partner reads them: names from the vault, none once erased. */
export interface FamilyMember {
  readonly subjectId: string;
  readonly role: SubjectRole;
  readonly erased: boolean;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly birthDate?: string;
  readonly niss?: string;
  readonly address?: {
    readonly street: string;
    readonly postalCode: string;
    readonly municipality: string;
  };
}

export interface CasePartner {
  readonly organisationId: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  /** `closed`: the partner closed its own file; `left`: it left the case. */
  readonly status: 'active' | 'closed' | 'left';
  readonly legalBasis: LegalBasis;
  readonly consentId: string | null;
  readonly assignedStaffIds: readonly string[];
}

export interface CommuneRef {
  readonly ins: string;
  /** Null for a commune Relais does not know. */
  readonly name: string | null;
}

/** `GET /cases/:id` for a partner, or (`former_partner`) as it was when the caller's organisation left. */
export interface CaseView {
  readonly id: string;
  readonly reference: string;
  readonly status: 'open' | 'ended';
  readonly access: 'partner' | 'former_partner';
  readonly version: number;
  readonly openedOn: string;
  readonly openedBy: string;
  readonly residenceCommune: CommuneRef;
  readonly family: readonly FamilyMember[];
  readonly partners: readonly CasePartner[];
  readonly consents: readonly {
    readonly consentId: string;
    readonly givenBy: string;
    readonly sharingWith: readonly string[];
    readonly withdrawn: boolean;
  }[];
  readonly referrals: readonly {
    readonly referralId: string;
    readonly from: string;
    readonly to: string;
    readonly status: 'sent' | 'accepted' | 'declined';
  }[];
}

/** `GET /cases/:id` for a referral waiting for the caller's answer: what it needs to decide, never who the family is. */
export interface ReferralView {
  readonly id: string;
  readonly reference: string;
  readonly status: 'open' | 'ended';
  readonly access: 'referral';
  readonly version: number;
  readonly openedOn: string;
  readonly residenceCommune: CommuneRef;
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

/**
 * `GET /referrals`: a referral the caller's organisation must answer (`incoming`, only while it
 * waits) or one it sent (`outgoing`, with the answer once given). The reference, the commune and
 * who sent it, never who the family is: a recipient learns that once it accepts.
 */
export interface ReferralSummary {
  readonly referralId: string;
  readonly caseId: string;
  readonly reference: string;
  readonly residenceCommune: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly sentOn: string;
  readonly status: 'sent' | 'accepted' | 'declined';
  readonly answeredOn: string | null;
  readonly declineReason: string | null;
}

/** `GET /cases/:id/timeline`: every event of the case. */
export interface TimelineEntry {
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly occurredOn: string;
  /** ISO instant. */
  readonly recordedAt: string;
  readonly organisationId: string | null;
  readonly actorId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** `POST /cases`, `POST /cases/:id/events`. */
export interface LoggedResult {
  readonly caseId: string;
  readonly eventIds: readonly string[];
  readonly version: number;
}
