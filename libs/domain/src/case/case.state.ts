import { IsoDate } from '../decider';
import { CaseEvent, LegalBasis, OrganisationKind, SubjectRole } from './case.events';

export interface Partner {
  readonly organisationId: string;
  readonly kind: OrganisationKind;
  readonly assignedStaffIds: readonly string[];
  readonly legalBasis: LegalBasis;
  readonly consentId: string | undefined;
  /** `closed`: the partner closed its own file; `left`: it left the case. */
  readonly status: 'active' | 'closed' | 'left';
}

export interface Consent {
  readonly givenBy: string;
  readonly sharingWith: readonly string[];
  readonly withdrawn: boolean;
}

export interface Referral {
  readonly from: string;
  readonly to: string;
  readonly status: 'sent' | 'accepted' | 'declined';
}

export type CaseState =
  | { readonly status: 'none' }
  | {
      /** `ended` once no partner is active any more. */
      readonly status: 'open' | 'ended';
      readonly caseId: string;
      readonly reference: string;
      readonly openedOn: IsoDate;
      readonly openedBy: string;
      readonly residenceCommune: string;
      readonly subjects: readonly { subjectId: string; role: SubjectRole }[];
      readonly partners: Readonly<Record<string, Partner>>;
      readonly consents: Readonly<Record<string, Consent>>;
      readonly referrals: Readonly<Record<string, Referral>>;
    };

export type ExistingCase = Exclude<CaseState, { status: 'none' }>;

export const initialCaseState: CaseState = { status: 'none' };

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'CaseOpened') {
    const { caseId, reference, occurredOn, organisationId, residenceCommune, subjects } =
      event.data;
    return {
      status: 'open',
      caseId,
      reference,
      openedOn: occurredOn,
      openedBy: organisationId,
      residenceCommune,
      subjects,
      partners: {},
      consents: {},
      referrals: {},
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PartnerJoined': {
      const { partnerId, partnerKind, assignedStaffIds, legalBasis, consentId } = event.data;
      return withPartners(state, {
        ...state.partners,
        [partnerId]: {
          organisationId: partnerId,
          kind: partnerKind,
          assignedStaffIds,
          legalBasis,
          consentId,
          status: 'active',
        },
      });
    }
    case 'PartnerLeft':
      return withPartnerStatus(state, event.data.partnerId, 'left');
    case 'CaseClosed':
      return withPartnerStatus(state, event.data.organisationId, 'closed');
    case 'ConsentRecorded': {
      const { consentId, givenBy, sharingWith } = event.data;
      return {
        ...state,
        consents: { ...state.consents, [consentId]: { givenBy, sharingWith, withdrawn: false } },
      };
    }
    case 'ConsentWithdrawn': {
      const consent = state.consents[event.data.consentId];
      if (!consent) return state;
      return {
        ...state,
        consents: { ...state.consents, [event.data.consentId]: { ...consent, withdrawn: true } },
      };
    }
    case 'ReferralSent': {
      const { referralId, organisationId, to } = event.data;
      return {
        ...state,
        referrals: {
          ...state.referrals,
          [referralId]: { from: organisationId, to, status: 'sent' },
        },
      };
    }
    case 'ReferralAccepted':
    case 'ReferralDeclined': {
      const referral = state.referrals[event.data.referralId];
      if (!referral) return state;
      const status = event.type === 'ReferralAccepted' ? 'accepted' : 'declined';
      return {
        ...state,
        referrals: { ...state.referrals, [event.data.referralId]: { ...referral, status } },
      };
    }
    case 'FamilyRelocated':
      return { ...state, residenceCommune: event.data.destinationCommune };
    case 'CaseWorkerReassigned': {
      const partner = state.partners[event.data.organisationId];
      if (!partner) return state;
      return withPartners(state, {
        ...state.partners,
        [partner.organisationId]: { ...partner, assignedStaffIds: event.data.assignedStaffIds },
      });
    }
    case 'AidProgrammeChanged':
    case 'CaseJudicialised':
    case 'RisSuppressed':
    case 'InformationSharedOutsideRelais':
      return state;
  }
}

function withPartners(state: ExistingCase, partners: Record<string, Partner>): ExistingCase {
  const anyActive = Object.values(partners).some((p) => p.status === 'active');
  return { ...state, partners, status: anyActive ? 'open' : 'ended' };
}

function withPartnerStatus(
  state: ExistingCase,
  organisationId: string,
  status: Partner['status'],
): ExistingCase {
  const partner = state.partners[organisationId];
  if (!partner) return state;
  return withPartners(state, { ...state.partners, [organisationId]: { ...partner, status } });
}

export function activeConsentFor(state: ExistingCase, organisationId: string): string | undefined {
  return Object.entries(state.consents).find(
    ([, consent]) => !consent.withdrawn && consent.sharingWith.includes(organisationId),
  )?.[0];
}
