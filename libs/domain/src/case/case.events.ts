import { IsoDate } from '../decider';

export type OrganisationKind = 'CPAS' | 'SAJ' | 'SPJ' | 'OTHER';
export const ORGANISATION_KINDS: readonly OrganisationKind[] = ['CPAS', 'SAJ', 'SPJ', 'OTHER'];

export type LegalBasis = 'family_informed_consent' | 'judicial_mandate' | 'legal_obligation';
export const LEGAL_BASES: readonly LegalBasis[] = [
  'family_informed_consent',
  'judicial_mandate',
  'legal_obligation',
];

export type SubjectRole = 'parent' | 'child' | 'other_adult';
export const SUBJECT_ROLES: readonly SubjectRole[] = ['parent', 'child', 'other_adult'];

export type AidProgrammeKind =
  'in_family_support' | 'out_of_family_placement' | 'specialised_service' | 'other';
export const AID_PROGRAMME_KINDS: readonly AidProgrammeKind[] = [
  'in_family_support',
  'out_of_family_placement',
  'specialised_service',
  'other',
];

export type JudicialisedTo = 'tribunal_de_la_jeunesse' | 'spj';
export const JUDICIALISED_TO: readonly JudicialisedTo[] = ['tribunal_de_la_jeunesse', 'spj'];

export type RisSuppressionReason =
  | 'resources_above_threshold'
  | 'no_longer_entitled'
  | 'moved_out_of_commune'
  | 'sanction'
  | 'other';
export const RIS_SUPPRESSION_REASONS: readonly RisSuppressionReason[] = [
  'resources_above_threshold',
  'no_longer_entitled',
  'moved_out_of_commune',
  'sanction',
  'other',
];

export type ReferralReason = 'youth_aid_needed' | 'financial_aid_needed' | 'housing' | 'other';
export const REFERRAL_REASONS: readonly ReferralReason[] = [
  'youth_aid_needed',
  'financial_aid_needed',
  'housing',
  'other',
];

export type DeclineReason = 'not_competent' | 'no_capacity' | 'family_refused' | 'other';
export const DECLINE_REASONS: readonly DeclineReason[] = [
  'not_competent',
  'no_capacity',
  'family_refused',
  'other',
];

export type CloseReason = 'objectives_reached' | 'family_moved' | 'handed_over' | 'other';
export const CLOSE_REASONS: readonly CloseReason[] = [
  'objectives_reached',
  'family_moved',
  'handed_over',
  'other',
];

export type SharingChannel = 'phone' | 'meeting' | 'letter';
export const SHARING_CHANNELS: readonly SharingChannel[] = ['phone', 'meeting', 'letter'];

/**
 * Every case event says when it happened (`occurredOn`, a date) and which organisation logged it.
 * Personal data never appears: family members are subject ids into the vault, and reasons are
 * codes, not free text.
 */
interface Logged {
  readonly caseId: string;
  readonly occurredOn: IsoDate;
  readonly organisationId: string;
}

export type CaseEvent =
  | {
      type: 'CaseOpened';
      data: Logged & {
        reference: string;
        residenceCommune: string;
        subjects: readonly { subjectId: string; role: SubjectRole }[];
      };
    }
  | {
      type: 'PartnerJoined';
      data: Logged & {
        partnerId: string;
        partnerKind: OrganisationKind;
        assignedStaffIds: readonly string[];
        legalBasis: LegalBasis;
        consentId?: string;
      };
    }
  | { type: 'PartnerLeft'; data: Logged & { partnerId: string } }
  | {
      type: 'ConsentRecorded';
      data: Logged & { consentId: string; givenBy: string; sharingWith: readonly string[] };
    }
  | { type: 'ConsentWithdrawn'; data: Logged & { consentId: string } }
  | {
      type: 'ReferralSent';
      data: Logged & { referralId: string; to: string; reason: ReferralReason };
    }
  | { type: 'ReferralAccepted'; data: Logged & { referralId: string } }
  | { type: 'ReferralDeclined'; data: Logged & { referralId: string; reason: DeclineReason } }
  | { type: 'AidProgrammeChanged'; data: Logged & { programme: AidProgrammeKind } }
  | { type: 'CaseJudicialised'; data: Logged & { to: JudicialisedTo } }
  | { type: 'CaseClosed'; data: Logged & { reason: CloseReason } }
  | {
      type: 'RisSuppressed';
      data: Logged & { reason: RisSuppressionReason; effectiveOn: IsoDate };
    }
  | {
      type: 'FamilyRelocated';
      data: Logged & { fromCommune: string; destinationCommune: string; effectiveOn: IsoDate };
    }
  | {
      type: 'InformationSharedOutsideRelais';
      data: Logged & {
        channel: SharingChannel;
        sharedWith: string;
        about: CaseEventType;
        aboutEventId?: string;
      };
    };

export type CaseEventType = CaseEvent['type'];

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'CaseOpened',
  'PartnerJoined',
  'PartnerLeft',
  'ConsentRecorded',
  'ConsentWithdrawn',
  'ReferralSent',
  'ReferralAccepted',
  'ReferralDeclined',
  'AidProgrammeChanged',
  'CaseJudicialised',
  'CaseClosed',
  'RisSuppressed',
  'FamilyRelocated',
  'InformationSharedOutsideRelais',
];

export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}
