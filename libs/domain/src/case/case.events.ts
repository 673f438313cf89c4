import { IsoDate } from '../decider';
import type { LegalBasis, OrganisationKind, SubjectRole } from '@relais/wire';

export {
  LEGAL_BASES,
  ORGANISATION_KINDS,
  SUBJECT_ROLES,
  type LegalBasis,
  type OrganisationKind,
  type SubjectRole,
} from '@relais/wire';

export const AID_PROGRAMME_KINDS = [
  'in_family_support',
  'out_of_family_placement',
  'specialised_service',
  'other',
] as const;
export type AidProgrammeKind = (typeof AID_PROGRAMME_KINDS)[number];

export const JUDICIALISED_TO = ['tribunal_de_la_jeunesse', 'spj'] as const;
export type JudicialisedTo = (typeof JUDICIALISED_TO)[number];

export const RIS_SUPPRESSION_REASONS = [
  'resources_above_threshold',
  'no_longer_entitled',
  'moved_out_of_commune',
  'sanction',
  'other',
] as const;
export type RisSuppressionReason = (typeof RIS_SUPPRESSION_REASONS)[number];

export const REFERRAL_REASONS = [
  /** An invitation to follow the family together: how a partner asks another organisation to join. */
  'joint_follow_up',
  'youth_aid_needed',
  'financial_aid_needed',
  'housing',
  /** The family moved: the CPAS of its new commune is asked to take the case over. */
  'family_relocated',
  'other',
] as const;
export type ReferralReason = (typeof REFERRAL_REASONS)[number];

export const DECLINE_REASONS = ['not_competent', 'no_capacity', 'family_refused', 'other'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const CLOSE_REASONS = [
  'objectives_reached',
  'family_moved',
  'handed_over',
  'other',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const SHARING_CHANNELS = ['phone', 'meeting', 'letter'] as const;
export type SharingChannel = (typeof SHARING_CHANNELS)[number];

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
      /** The partner (`organisationId`) changed who follows the family for it. */
      type: 'CaseWorkerReassigned';
      data: Logged & {
        assignedStaffIds: readonly string[];
        previousStaffIds: readonly string[];
      };
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
  'CaseWorkerReassigned',
  'InformationSharedOutsideRelais',
];

export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}
