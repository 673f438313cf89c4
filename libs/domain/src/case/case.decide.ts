import { assertNever, Decider, DomainRuleViolation, IsoDate } from '../decider';
import {
  AidProgrammeKind,
  CaseEvent,
  CloseReason,
  DeclineReason,
  JudicialisedTo,
  LegalBasis,
  OrganisationKind,
  ReferralReason,
  RisSuppressionReason,
  SharingChannel,
  SubjectRole,
  CaseEventType,
} from './case.events';
import {
  activeConsentFor,
  CaseState,
  evolveCase,
  ExistingCase,
  initialCaseState,
} from './case.state';

/** Every command on a case is given on a date (`occurredOn`) by the actor's organisation. */
interface Dated {
  readonly occurredOn: IsoDate;
}

/**
 * An organisation joins a case only by accepting a referral (or opening it): on a legal basis it
 * records itself, never one another organisation declares for it.
 */
export interface NewPartner {
  readonly organisationId: string;
  readonly kind: OrganisationKind;
  readonly assignedStaffIds: readonly string[];
  readonly legalBasis: LegalBasis;
}

export type CaseCommand =
  | {
      type: 'OpenCase';
      data: Dated & {
        caseId: string;
        reference: string;
        residenceCommune: string;
        subjects: readonly { subjectId: string; role: SubjectRole }[];
        assignedStaffIds: readonly string[];
        legalBasis: LegalBasis;
      };
    }
  | { type: 'LeaveCase'; data: Dated }
  | {
      type: 'RecordConsent';
      data: Dated & { consentId: string; givenBy: string; sharingWith: readonly string[] };
    }
  | { type: 'WithdrawConsent'; data: Dated & { consentId: string } }
  | {
      type: 'SendReferral';
      data: Dated & { referralId: string; to: string; reason: ReferralReason };
    }
  | {
      type: 'AcceptReferral';
      data: Dated & {
        referralId: string;
        kind: OrganisationKind;
        assignedStaffIds: readonly string[];
        legalBasis: LegalBasis;
      };
    }
  | { type: 'DeclineReferral'; data: Dated & { referralId: string; reason: DeclineReason } }
  | { type: 'ChangeAidProgramme'; data: Dated & { programme: AidProgrammeKind } }
  | { type: 'JudicialiseCase'; data: Dated & { to: JudicialisedTo } }
  | { type: 'CloseFile'; data: Dated & { reason: CloseReason } }
  | { type: 'SuppressRis'; data: Dated & { reason: RisSuppressionReason; effectiveOn: IsoDate } }
  | {
      type: 'RelocateFamily';
      data: Dated & {
        destinationCommune: string;
        effectiveOn: IsoDate;
        /** The referral that offers the case to the new commune's CPAS, when one is sent. */
        handoverReferralId: string;
      };
    }
  | { type: 'ReassignWorker'; data: Dated & { assignedStaffIds: readonly string[] } }
  | {
      type: 'RecordInformationSharedOutsideRelais';
      data: Dated & {
        channel: SharingChannel;
        sharedWith: string;
        about: CaseEventType;
        aboutEventId?: string;
      };
    };

export interface CaseContext {
  readonly actor: { readonly organisationId: string; readonly kind: OrganisationKind };
  /** Today in Europe/Brussels, from the clock. */
  readonly today: IsoDate;
  readonly isKnownCommune: (ins: string) => boolean;
  /** The CPAS of the network competent for a commune, if any. */
  readonly competentCpas: (ins: string) => string | undefined;
  /**
   * The active staff of the actor's organisation, given to a command that assigns some of them
   * (`ReassignWorker`); nobody is assignable without it.
   */
  readonly activeStaffIds?: ReadonlySet<string>;
}

export type CaseRuleCode =
  | 'CASE_ALREADY_EXISTS'
  | 'CASE_NOT_FOUND'
  | 'CASE_ENDED'
  | 'NOT_A_PARTNER'
  | 'PARTNER_FILE_CLOSED'
  | 'ALREADY_A_PARTNER'
  | 'WRONG_ORGANISATION_KIND'
  | 'OCCURRED_IN_FUTURE'
  | 'OCCURRED_BEFORE_CASE_OPENED'
  | 'NO_ACTIVE_CONSENT'
  | 'UNKNOWN_CONSENT'
  | 'CONSENT_ALREADY_WITHDRAWN'
  | 'UNKNOWN_REFERRAL'
  | 'NOT_REFERRAL_RECIPIENT'
  | 'REFERRAL_ALREADY_ANSWERED'
  | 'UNKNOWN_COMMUNE'
  | 'SAME_COMMUNE'
  | 'UNKNOWN_ORGANISATION'
  | 'NOT_ASSIGNABLE'
  | 'ALREADY_ASSIGNED';

export class CaseRuleViolation extends DomainRuleViolation<CaseRuleCode> {}

const refuse = (code: CaseRuleCode, message: string, field?: string): never => {
  throw new CaseRuleViolation(code, message, field);
};

/** Which kind of partner may log which protocol event: the rest any active partner may log. */
const LOGGED_ONLY_BY: Partial<Record<CaseCommand['type'], OrganisationKind>> = {
  ChangeAidProgramme: 'SAJ',
  JudicialiseCase: 'SAJ',
  SuppressRis: 'CPAS',
  RelocateFamily: 'CPAS',
};

export function decideCase(
  command: CaseCommand,
  state: CaseState,
  context: CaseContext,
): CaseEvent[] {
  const { occurredOn } = command.data;
  if (occurredOn > context.today) {
    refuse(
      'OCCURRED_IN_FUTURE',
      `occurredOn ${occurredOn} is after today (${context.today})`,
      'occurredOn',
    );
  }
  if (command.type === 'OpenCase') {
    if (state.status !== 'none')
      refuse('CASE_ALREADY_EXISTS', `Case ${command.data.caseId} already exists`);
    return openCase(command.data, context);
  }
  if (state.status === 'none') return refuse('CASE_NOT_FOUND', 'No such case');
  if (state.status === 'ended')
    refuse('CASE_ENDED', `Case ${state.reference} has ended: nothing more can be logged`);
  if (occurredOn < state.openedOn) {
    refuse(
      'OCCURRED_BEFORE_CASE_OPENED',
      `occurredOn ${occurredOn} is before the case opened (${state.openedOn})`,
      'occurredOn',
    );
  }
  if (command.type === 'AcceptReferral' || command.type === 'DeclineReferral') {
    return answerReferral(command, state, context);
  }
  const organisationId = context.actor.organisationId;
  const partner = state.partners[organisationId];
  if (!partner || partner.status === 'left') {
    refuse('NOT_A_PARTNER', `${organisationId} is not a partner of case ${state.reference}`);
  }
  if (partner?.status === 'closed') {
    refuse(
      'PARTNER_FILE_CLOSED',
      `${organisationId} has closed its file on case ${state.reference}`,
    );
  }
  const onlyBy = LOGGED_ONLY_BY[command.type];
  if (onlyBy && context.actor.kind !== onlyBy) {
    refuse('WRONG_ORGANISATION_KIND', `Only a ${onlyBy} partner can do ${command.type}`);
  }
  const logged = { caseId: state.caseId, occurredOn, organisationId };

  switch (command.type) {
    case 'LeaveCase':
      return [{ type: 'PartnerLeft', data: { ...logged, partnerId: organisationId } }];
    case 'RecordConsent': {
      const { consentId, givenBy, sharingWith } = command.data;
      if (!state.subjects.some((s) => s.subjectId === givenBy)) {
        refuse('UNKNOWN_CONSENT', `${givenBy} is not a family member of this case`, 'givenBy');
      }
      return [{ type: 'ConsentRecorded', data: { ...logged, consentId, givenBy, sharingWith } }];
    }
    case 'WithdrawConsent': {
      const consent = state.consents[command.data.consentId];
      if (!consent)
        return refuse('UNKNOWN_CONSENT', `No consent ${command.data.consentId}`, 'consentId');
      if (consent.withdrawn)
        refuse('CONSENT_ALREADY_WITHDRAWN', 'This consent is already withdrawn', 'consentId');
      return [{ type: 'ConsentWithdrawn', data: { ...logged, consentId: command.data.consentId } }];
    }
    case 'SendReferral':
      if (state.partners[command.data.to]?.status === 'active') {
        refuse('ALREADY_A_PARTNER', `${command.data.to} is already a partner`, 'to');
      }
      return [{ type: 'ReferralSent', data: { ...logged, ...command.data } }];
    case 'ChangeAidProgramme':
      return [
        { type: 'AidProgrammeChanged', data: { ...logged, programme: command.data.programme } },
      ];
    case 'JudicialiseCase':
      return [{ type: 'CaseJudicialised', data: { ...logged, to: command.data.to } }];
    case 'CloseFile':
      return [{ type: 'CaseClosed', data: { ...logged, reason: command.data.reason } }];
    case 'SuppressRis':
      return [{ type: 'RisSuppressed', data: { ...logged, ...command.data } }];
    case 'RelocateFamily': {
      const { destinationCommune, effectiveOn, handoverReferralId } = command.data;
      if (!context.isKnownCommune(destinationCommune)) {
        refuse(
          'UNKNOWN_COMMUNE',
          `No commune with INS code ${destinationCommune}`,
          'destinationCommune',
        );
      }
      if (destinationCommune === state.residenceCommune) {
        refuse('SAME_COMMUNE', 'The family already lives in that commune', 'destinationCommune');
      }
      const relocated: CaseEvent = {
        type: 'FamilyRelocated',
        data: { ...logged, fromCommune: state.residenceCommune, destinationCommune, effectiveOn },
      };
      // The CPAS of the new commune becomes competent: the case is offered to it at once.
      const newCpas = context.competentCpas(destinationCommune);
      if (!newCpas || isOffered(state, newCpas)) return [relocated];
      return [
        relocated,
        {
          type: 'ReferralSent',
          data: {
            ...logged,
            referralId: handoverReferralId,
            to: newCpas,
            reason: 'family_relocated',
          },
        },
      ];
    }
    case 'ReassignWorker':
      return reassign(command.data.assignedStaffIds, state, context, logged);
    case 'RecordInformationSharedOutsideRelais':
      return [{ type: 'InformationSharedOutsideRelais', data: { ...logged, ...command.data } }];
    default:
      return assertNever(command);
  }
}

/**
 * A partner hands the family to other workers of its own: active staff of its organisation only,
 * each refused one named by its place in the list; the same workers again change nothing.
 */
function reassign(
  assignedStaffIds: readonly string[],
  state: ExistingCase,
  context: CaseContext,
  logged: { caseId: string; occurredOn: IsoDate; organisationId: string },
): CaseEvent[] {
  assignedStaffIds.forEach((staffId, index) => {
    if (!context.activeStaffIds?.has(staffId)) {
      refuse(
        'NOT_ASSIGNABLE',
        `${staffId} is not an active member of staff of ${logged.organisationId}`,
        `assignedStaffIds.${index}`,
      );
    }
  });
  const previousStaffIds = state.partners[logged.organisationId]?.assignedStaffIds ?? [];
  const wanted = new Set(assignedStaffIds);
  if (wanted.size === previousStaffIds.length && previousStaffIds.every((id) => wanted.has(id))) {
    refuse('ALREADY_ASSIGNED', 'These workers already follow the case', 'assignedStaffIds');
  }
  return [
    {
      type: 'CaseWorkerReassigned',
      data: { ...logged, assignedStaffIds: [...wanted], previousStaffIds },
    },
  ];
}

/**
 * Whether the organisation already has the case or an offer of it: an active partner, or the
 * recipient of a referral still waiting for its answer (the mover itself, trivially).
 */
function isOffered(state: ExistingCase, organisationId: string): boolean {
  return (
    state.partners[organisationId]?.status === 'active' ||
    Object.values(state.referrals).some((r) => r.to === organisationId && r.status === 'sent')
  );
}

function openCase(
  data: Extract<CaseCommand, { type: 'OpenCase' }>['data'],
  context: CaseContext,
): CaseEvent[] {
  if (!context.isKnownCommune(data.residenceCommune)) {
    refuse(
      'UNKNOWN_COMMUNE',
      `No commune with INS code ${data.residenceCommune}`,
      'residenceCommune',
    );
  }
  if (data.legalBasis === 'family_informed_consent') {
    refuse(
      'NO_ACTIVE_CONSENT',
      'The opening partner cannot rely on a consent not yet recorded: use legal_obligation or judicial_mandate',
      'legalBasis',
    );
  }
  const logged = {
    caseId: data.caseId,
    occurredOn: data.occurredOn,
    organisationId: context.actor.organisationId,
  };
  return [
    {
      type: 'CaseOpened',
      data: {
        ...logged,
        reference: data.reference,
        residenceCommune: data.residenceCommune,
        subjects: data.subjects,
      },
    },
    {
      type: 'PartnerJoined',
      data: {
        ...logged,
        partnerId: context.actor.organisationId,
        partnerKind: context.actor.kind,
        assignedStaffIds: data.assignedStaffIds,
        legalBasis: data.legalBasis,
      },
    },
  ];
}

function joined(
  state: ExistingCase,
  logged: { caseId: string; occurredOn: IsoDate; organisationId: string },
  partner: NewPartner,
): CaseEvent {
  if (state.partners[partner.organisationId]?.status === 'active') {
    refuse('ALREADY_A_PARTNER', `${partner.organisationId} is already a partner`, 'organisationId');
  }
  let consentId: string | undefined;
  if (partner.legalBasis === 'family_informed_consent') {
    consentId = activeConsentFor(state, partner.organisationId);
    if (!consentId) {
      refuse(
        'NO_ACTIVE_CONSENT',
        `No active consent of the family covers sharing with ${partner.organisationId}`,
        'legalBasis',
      );
    }
  }
  return {
    type: 'PartnerJoined',
    data: {
      ...logged,
      partnerId: partner.organisationId,
      partnerKind: partner.kind,
      assignedStaffIds: partner.assignedStaffIds,
      legalBasis: partner.legalBasis,
      ...(consentId ? { consentId } : {}),
    },
  };
}

/** The recipient of a referral answers it without being a partner yet; accepting makes it one. */
function answerReferral(
  command: Extract<CaseCommand, { type: 'AcceptReferral' | 'DeclineReferral' }>,
  state: ExistingCase,
  context: CaseContext,
): CaseEvent[] {
  const { referralId, occurredOn } = command.data;
  const referral = state.referrals[referralId];
  if (!referral) return refuse('UNKNOWN_REFERRAL', `No referral ${referralId}`, 'referralId');
  const organisationId = context.actor.organisationId;
  if (referral.to !== organisationId) {
    refuse('NOT_REFERRAL_RECIPIENT', `Referral ${referralId} is addressed to ${referral.to}`);
  }
  if (referral.status !== 'sent')
    refuse('REFERRAL_ALREADY_ANSWERED', `Referral ${referralId} is already ${referral.status}`);
  const logged = { caseId: state.caseId, occurredOn, organisationId };
  if (command.type === 'DeclineReferral') {
    return [
      { type: 'ReferralDeclined', data: { ...logged, referralId, reason: command.data.reason } },
    ];
  }
  const { kind, assignedStaffIds, legalBasis } = command.data;
  return [
    { type: 'ReferralAccepted', data: { ...logged, referralId } },
    joined(state, logged, { organisationId, kind, assignedStaffIds, legalBasis }),
  ];
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState, CaseContext> = {
  initialState: initialCaseState,
  evolve: evolveCase,
  decide: decideCase,
};
