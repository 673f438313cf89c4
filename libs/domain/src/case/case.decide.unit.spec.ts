import {
  aCaseOpened,
  aConsentRecorded,
  aConsentWithdrawn,
  aFileClosed,
  aPartnerJoined,
  aReferralSent,
  CINEY,
  cpasCiney,
  cpasDinant,
  given,
  ROCHEFORT,
  sajDinant,
  spjDinant,
  TODAY,
} from '../testing/given-when-then';
import { caseDecider } from './case.decide';
import { fold } from '../decider';

const on = (occurredOn: string) => ({ occurredOn });
const logged = (organisationId: string, occurredOn = TODAY) => ({
  caseId: 'case-1',
  occurredOn,
  organisationId,
});

describe('case: opening', () => {
  it('opens a case with the opening organisation as its first partner', () => {
    given([])
      .when({
        type: 'OpenCase',
        data: {
          ...on('2026-11-02'),
          caseId: 'case-1',
          reference: 'CIN-2026-0001',
          residenceCommune: CINEY,
          subjects: [{ subjectId: 'subject-mother', role: 'parent' }],
          assignedStaffIds: ['as-ciney'],
          legalBasis: 'legal_obligation',
        },
      })
      .then([
        {
          type: 'CaseOpened',
          data: {
            ...logged('cpas-ciney', '2026-11-02'),
            reference: 'CIN-2026-0001',
            residenceCommune: CINEY,
            subjects: [{ subjectId: 'subject-mother', role: 'parent' }],
          },
        },
        {
          type: 'PartnerJoined',
          data: {
            ...logged('cpas-ciney', '2026-11-02'),
            partnerId: 'cpas-ciney',
            partnerKind: 'CPAS',
            assignedStaffIds: ['as-ciney'],
            legalBasis: 'legal_obligation',
          },
        },
      ]);
  });

  const openIn = (residenceCommune: string, occurredOn = TODAY) => ({
    type: 'OpenCase' as const,
    data: {
      occurredOn,
      caseId: 'case-1',
      reference: 'CIN-2026-0001',
      residenceCommune,
      subjects: [],
      assignedStaffIds: [],
      legalBasis: 'legal_obligation' as const,
    },
  });

  it('refuses to open a case twice', () => {
    given(aCaseOpened()).when(openIn(CINEY)).thenRefuses('CASE_ALREADY_EXISTS');
  });

  it('refuses a residence in an unknown commune', () => {
    given([]).when(openIn('99999')).thenRefuses('UNKNOWN_COMMUNE', 'residenceCommune');
  });

  it('refuses an opening dated in the future', () => {
    given([]).when(openIn(CINEY, '2026-11-21')).thenRefuses('OCCURRED_IN_FUTURE', 'occurredOn');
  });
});

describe('case: only the right kind of partner logs a protocol event', () => {
  const history = [...aCaseOpened(), aPartnerJoined('saj-dinant', 'SAJ')];

  it('lets the SAJ log a change of aid programme and a judicialisation', () => {
    given(history)
      .when(
        {
          type: 'ChangeAidProgramme',
          data: { ...on(TODAY), programme: 'out_of_family_placement' },
        },
        sajDinant,
      )
      .then([
        {
          type: 'AidProgrammeChanged',
          data: { ...logged('saj-dinant'), programme: 'out_of_family_placement' },
        },
      ]);
    given(history)
      .when(
        { type: 'JudicialiseCase', data: { ...on(TODAY), to: 'tribunal_de_la_jeunesse' } },
        sajDinant,
      )
      .then([
        {
          type: 'CaseJudicialised',
          data: { ...logged('saj-dinant'), to: 'tribunal_de_la_jeunesse' },
        },
      ]);
  });

  it('refuses a programme change or a judicialisation from a CPAS', () => {
    given(history)
      .when(
        { type: 'ChangeAidProgramme', data: { ...on(TODAY), programme: 'in_family_support' } },
        cpasCiney,
      )
      .thenRefuses('WRONG_ORGANISATION_KIND');
    given(history)
      .when({ type: 'JudicialiseCase', data: { ...on(TODAY), to: 'spj' } }, cpasCiney)
      .thenRefuses('WRONG_ORGANISATION_KIND');
  });

  it('lets the CPAS log a RIS suppression and a relocation', () => {
    given(history)
      .when({
        type: 'SuppressRis',
        data: { ...on(TODAY), reason: 'resources_above_threshold', effectiveOn: '2026-12-01' },
      })
      .then([
        {
          type: 'RisSuppressed',
          data: {
            ...logged('cpas-ciney'),
            reason: 'resources_above_threshold',
            effectiveOn: '2026-12-01',
          },
        },
      ]);
    given(history)
      .when({
        type: 'RelocateFamily',
        data: {
          ...on(TODAY),
          destinationCommune: ROCHEFORT,
          effectiveOn: TODAY,
          handoverReferralId: 'handover-1',
        },
      })
      .then([
        {
          type: 'FamilyRelocated',
          data: {
            ...logged('cpas-ciney'),
            fromCommune: CINEY,
            destinationCommune: ROCHEFORT,
            effectiveOn: TODAY,
          },
        },
        {
          type: 'ReferralSent',
          data: {
            ...logged('cpas-ciney'),
            referralId: 'handover-1',
            to: 'cpas-rochefort',
            reason: 'family_relocated',
          },
        },
      ]);
  });

  it('offers the case to the new commune’s CPAS only when it has neither the case nor an offer of it', () => {
    const relocateTo = (destinationCommune: string) => ({
      type: 'RelocateFamily' as const,
      data: { ...on(TODAY), destinationCommune, effectiveOn: TODAY, handoverReferralId: 'h-2' },
    });
    const relocated = (destinationCommune: string) => ({
      type: 'FamilyRelocated' as const,
      data: { ...logged('cpas-ciney'), fromCommune: CINEY, destinationCommune, effectiveOn: TODAY },
    });
    // Namur's CPAS is not in the network: nobody to offer it to.
    given(history)
      .when(relocateTo('92094'))
      .then([relocated('92094')]);
    given([...history, aPartnerJoined('cpas-rochefort', 'CPAS', 'legal_obligation')])
      .when(relocateTo(ROCHEFORT))
      .then([relocated(ROCHEFORT)]);
    given([...history, aReferralSent('r-1', 'cpas-rochefort')])
      .when(relocateTo(ROCHEFORT))
      .then([relocated(ROCHEFORT)]);
  });

  it('refuses a RIS suppression or a relocation from the SAJ', () => {
    given(history)
      .when(
        { type: 'SuppressRis', data: { ...on(TODAY), reason: 'other', effectiveOn: TODAY } },
        sajDinant,
      )
      .thenRefuses('WRONG_ORGANISATION_KIND');
    given(history)
      .when(
        {
          type: 'RelocateFamily',
          data: {
            ...on(TODAY),
            destinationCommune: ROCHEFORT,
            effectiveOn: TODAY,
            handoverReferralId: 'handover-1',
          },
        },
        sajDinant,
      )
      .thenRefuses('WRONG_ORGANISATION_KIND');
  });
});

describe('case: only partners log', () => {
  it('refuses anything from an organisation that is not a partner', () => {
    given(aCaseOpened())
      .when({ type: 'ChangeAidProgramme', data: { ...on(TODAY), programme: 'other' } }, sajDinant)
      .thenRefuses('NOT_A_PARTNER');
    given(aCaseOpened())
      .when(
        { type: 'SuppressRis', data: { ...on(TODAY), reason: 'other', effectiveOn: TODAY } },
        cpasDinant,
      )
      .thenRefuses('NOT_A_PARTNER');
  });

  it('refuses a partner that left', () => {
    const left = {
      type: 'PartnerLeft' as const,
      data: { ...logged('saj-dinant', '2026-11-04'), partnerId: 'saj-dinant' },
    };
    given([...aCaseOpened(), aPartnerJoined(), left])
      .when({ type: 'CloseFile', data: { ...on(TODAY), reason: 'other' } }, sajDinant)
      .thenRefuses('NOT_A_PARTNER');
  });

  it('refuses a case that does not exist', () => {
    given([])
      .when({ type: 'CloseFile', data: { ...on(TODAY), reason: 'other' } })
      .thenRefuses('CASE_NOT_FOUND');
  });
});

describe('case: closed files and ended cases', () => {
  it('refuses anything from a partner whose file is closed, while others go on', () => {
    const history = [...aCaseOpened(), aPartnerJoined(), aFileClosed('saj-dinant')];
    given(history)
      .when({ type: 'ChangeAidProgramme', data: { ...on(TODAY), programme: 'other' } }, sajDinant)
      .thenRefuses('PARTNER_FILE_CLOSED');
    given(history)
      .when({ type: 'SuppressRis', data: { ...on(TODAY), reason: 'other', effectiveOn: TODAY } })
      .then([
        {
          type: 'RisSuppressed',
          data: { ...logged('cpas-ciney'), reason: 'other', effectiveOn: TODAY },
        },
      ]);
  });

  it('ends the case when the last partner closes its file, and refuses everything after', () => {
    const history = [
      ...aCaseOpened(),
      aPartnerJoined(),
      aFileClosed('saj-dinant'),
      aFileClosed('cpas-ciney'),
    ];
    given(history)
      .when({ type: 'SuppressRis', data: { ...on(TODAY), reason: 'other', effectiveOn: TODAY } })
      .thenRefuses('CASE_ENDED');
    given(history)
      .when({
        type: 'SendReferral',
        data: { ...on(TODAY), referralId: 'r-2', to: 'spj-dinant', reason: 'joint_follow_up' },
      })
      .thenRefuses('CASE_ENDED');
  });
});

describe('case: dates', () => {
  const history = [...aCaseOpened({ occurredOn: '2026-11-02' }), aPartnerJoined()];

  it('refuses an event dated in the future', () => {
    given(history)
      .when(
        { type: 'CloseFile', data: { ...on('2026-11-21'), reason: 'other' } },
        sajDinant,
        '2026-11-20',
      )
      .thenRefuses('OCCURRED_IN_FUTURE', 'occurredOn');
  });

  it('refuses an event dated before the case opened', () => {
    given(history)
      .when({ type: 'CloseFile', data: { ...on('2026-11-01'), reason: 'other' } }, sajDinant)
      .thenRefuses('OCCURRED_BEFORE_CASE_OPENED', 'occurredOn');
  });

  it('accepts an event dated on the day the case opened, or today', () => {
    given(history)
      .when({ type: 'CloseFile', data: { ...on('2026-11-02'), reason: 'other' } }, sajDinant)
      .then([
        { type: 'CaseClosed', data: { ...logged('saj-dinant', '2026-11-02'), reason: 'other' } },
      ]);
  });
});

describe('case: partners join with a legal basis they record themselves', () => {
  const sajAccepts = (
    legalBasis: 'family_informed_consent' | 'judicial_mandate' | 'legal_obligation',
  ) => ({
    type: 'AcceptReferral' as const,
    data: {
      ...on(TODAY),
      referralId: 'referral-1',
      kind: 'SAJ' as const,
      assignedStaffIds: ['delegue1'],
      legalBasis,
    },
  });
  const invited = [...aCaseOpened(), aReferralSent('referral-1', 'saj-dinant')];

  it('an invited organisation joins on the judicial mandate it records', () => {
    given(invited)
      .when(sajAccepts('judicial_mandate'), sajDinant)
      .then([
        {
          type: 'ReferralAccepted',
          data: { ...logged('saj-dinant'), referralId: 'referral-1' },
        },
        {
          type: 'PartnerJoined',
          data: {
            ...logged('saj-dinant'),
            partnerId: 'saj-dinant',
            partnerKind: 'SAJ',
            assignedStaffIds: ['delegue1'],
            legalBasis: 'judicial_mandate',
          },
        },
      ]);
  });

  it('joins on the family’s consent when a consent covers it, and records which', () => {
    given([...invited, aConsentRecorded('consent-1', ['saj-dinant'])])
      .when(sajAccepts('family_informed_consent'), sajDinant)
      .then([
        {
          type: 'ReferralAccepted',
          data: { ...logged('saj-dinant'), referralId: 'referral-1' },
        },
        {
          type: 'PartnerJoined',
          data: {
            ...logged('saj-dinant'),
            partnerId: 'saj-dinant',
            partnerKind: 'SAJ',
            assignedStaffIds: ['delegue1'],
            legalBasis: 'family_informed_consent',
            consentId: 'consent-1',
          },
        },
      ]);
  });

  it('refuses a join on consent when there is none, or it covers someone else', () => {
    given(invited)
      .when(sajAccepts('family_informed_consent'), sajDinant)
      .thenRefuses('NO_ACTIVE_CONSENT', 'legalBasis');
    given([...invited, aConsentRecorded('consent-1', ['spj-dinant'])])
      .when(sajAccepts('family_informed_consent'), sajDinant)
      .thenRefuses('NO_ACTIVE_CONSENT');
  });

  it('refuses a join that relies on a withdrawn consent', () => {
    given([...invited, aConsentRecorded(), aConsentWithdrawn()])
      .when(sajAccepts('family_informed_consent'), sajDinant)
      .thenRefuses('NO_ACTIVE_CONSENT', 'legalBasis');
  });

  it('nobody accepts on another organisation’s behalf', () => {
    given(invited)
      .when(sajAccepts('judicial_mandate'), cpasCiney)
      .thenRefuses('NOT_REFERRAL_RECIPIENT');
  });

  it('refuses to invite a partner that is already active', () => {
    given([...aCaseOpened(), aPartnerJoined()])
      .when({
        type: 'SendReferral',
        data: { ...on(TODAY), referralId: 'r-2', to: 'saj-dinant', reason: 'joint_follow_up' },
      })
      .thenRefuses('ALREADY_A_PARTNER');
  });

  it('refuses an opening that relies on a consent not yet recorded', () => {
    given([])
      .when({
        type: 'OpenCase',
        data: {
          ...on(TODAY),
          caseId: 'case-1',
          reference: 'R',
          residenceCommune: CINEY,
          subjects: [],
          assignedStaffIds: [],
          legalBasis: 'family_informed_consent',
        },
      })
      .thenRefuses('NO_ACTIVE_CONSENT', 'legalBasis');
  });

  it('refuses to withdraw a consent twice, or one that does not exist', () => {
    given([...aCaseOpened(), aConsentRecorded(), aConsentWithdrawn()])
      .when({ type: 'WithdrawConsent', data: { ...on(TODAY), consentId: 'consent-1' } })
      .thenRefuses('CONSENT_ALREADY_WITHDRAWN');
    given(aCaseOpened())
      .when({ type: 'WithdrawConsent', data: { ...on(TODAY), consentId: 'nope' } })
      .thenRefuses('UNKNOWN_CONSENT', 'consentId');
  });
});

describe('case: referrals', () => {
  const accept = {
    type: 'AcceptReferral' as const,
    data: {
      ...on(TODAY),
      referralId: 'referral-1',
      kind: 'SAJ' as const,
      assignedStaffIds: ['delegue1'],
      legalBasis: 'judicial_mandate' as const,
    },
  };

  it('lets the recipient accept a referral, which makes it a partner', () => {
    given([...aCaseOpened(), aReferralSent()])
      .when(accept, sajDinant)
      .then([
        { type: 'ReferralAccepted', data: { ...logged('saj-dinant'), referralId: 'referral-1' } },
        {
          type: 'PartnerJoined',
          data: {
            ...logged('saj-dinant'),
            partnerId: 'saj-dinant',
            partnerKind: 'SAJ',
            assignedStaffIds: ['delegue1'],
            legalBasis: 'judicial_mandate',
          },
        },
      ]);
  });

  it('lets the recipient decline with a reason', () => {
    given([...aCaseOpened(), aReferralSent()])
      .when(
        {
          type: 'DeclineReferral',
          data: { ...on(TODAY), referralId: 'referral-1', reason: 'not_competent' },
        },
        sajDinant,
      )
      .then([
        {
          type: 'ReferralDeclined',
          data: { ...logged('saj-dinant'), referralId: 'referral-1', reason: 'not_competent' },
        },
      ]);
  });

  it('refuses an answer from another organisation, a second answer, or an unknown referral', () => {
    given([...aCaseOpened(), aReferralSent()])
      .when(accept, spjDinant)
      .thenRefuses('NOT_REFERRAL_RECIPIENT');
    const accepted = {
      type: 'ReferralAccepted' as const,
      data: { ...logged('saj-dinant'), referralId: 'referral-1' },
    };
    given([...aCaseOpened(), aReferralSent(), accepted])
      .when(accept, sajDinant)
      .thenRefuses('REFERRAL_ALREADY_ANSWERED');
    given(aCaseOpened()).when(accept, sajDinant).thenRefuses('UNKNOWN_REFERRAL', 'referralId');
  });
});

describe('case: relocation', () => {
  const history = [...aCaseOpened(), aPartnerJoined()];

  it('refuses a relocation to an unknown commune', () => {
    given(history)
      .when({
        type: 'RelocateFamily',
        data: {
          ...on(TODAY),
          destinationCommune: '99999',
          effectiveOn: TODAY,
          handoverReferralId: 'handover-1',
        },
      })
      .thenRefuses('UNKNOWN_COMMUNE', 'destinationCommune');
  });

  it('refuses a relocation to the commune the family already lives in', () => {
    given(history)
      .when({
        type: 'RelocateFamily',
        data: {
          ...on(TODAY),
          destinationCommune: CINEY,
          effectiveOn: TODAY,
          handoverReferralId: 'handover-1',
        },
      })
      .thenRefuses('SAME_COMMUNE', 'destinationCommune');
  });

  it('moves the residence, so the next relocation starts from the new commune', () => {
    const moved = {
      type: 'FamilyRelocated' as const,
      data: {
        ...logged('cpas-ciney', '2026-11-10'),
        fromCommune: CINEY,
        destinationCommune: ROCHEFORT,
        effectiveOn: '2026-11-10',
      },
    };
    given([...history, moved])
      .when({
        type: 'RelocateFamily',
        data: {
          ...on(TODAY),
          destinationCommune: CINEY,
          effectiveOn: TODAY,
          handoverReferralId: 'handover-1',
        },
      })
      .then([
        {
          type: 'FamilyRelocated',
          data: {
            ...logged('cpas-ciney'),
            fromCommune: ROCHEFORT,
            destinationCommune: CINEY,
            effectiveOn: TODAY,
          },
        },
      ]);
  });
});

describe('case: information shared outside Relais', () => {
  it('records what was shared, with whom and how', () => {
    given([...aCaseOpened(), aPartnerJoined()])
      .when({
        type: 'RecordInformationSharedOutsideRelais',
        data: { ...on(TODAY), channel: 'phone', sharedWith: 'saj-dinant', about: 'RisSuppressed' },
      })
      .then([
        {
          type: 'InformationSharedOutsideRelais',
          data: {
            ...logged('cpas-ciney'),
            channel: 'phone',
            sharedWith: 'saj-dinant',
            about: 'RisSuppressed',
          },
        },
      ]);
  });
});

describe('case: reassigning the worker', () => {
  it('hands the family to another active worker of the partner, naming who followed it before', () => {
    given([...aCaseOpened()])
      .when({ type: 'ReassignWorker', data: { ...on(TODAY), assignedStaffIds: ['as-ciney-2'] } })
      .then([
        {
          type: 'CaseWorkerReassigned',
          data: {
            ...logged('cpas-ciney'),
            assignedStaffIds: ['as-ciney-2'],
            previousStaffIds: ['as-ciney'],
          },
        },
      ]);
  });

  it('changes only the partner’s own workers, and the next reassignment starts from them', () => {
    given([
      ...aCaseOpened(),
      aPartnerJoined(),
      {
        type: 'CaseWorkerReassigned',
        data: {
          ...logged('saj-dinant', '2026-11-04'),
          assignedStaffIds: ['delegue-saj-dinant-2'],
          previousStaffIds: ['delegue-saj-dinant'],
        },
      },
    ])
      .when(
        {
          type: 'ReassignWorker',
          data: { ...on(TODAY), assignedStaffIds: ['delegue-saj-dinant'] },
        },
        sajDinant,
      )
      .then([
        {
          type: 'CaseWorkerReassigned',
          data: {
            ...logged('saj-dinant'),
            assignedStaffIds: ['delegue-saj-dinant'],
            previousStaffIds: ['delegue-saj-dinant-2'],
          },
        },
      ]);
  });

  it.each([
    ['another organisation’s worker', ['delegue-saj-dinant'], 'assignedStaffIds.0'],
    ['someone not active in the organisation', ['as-ciney-2', 'as-gone'], 'assignedStaffIds.1'],
  ])('refuses %s, naming the place in the list', (_, assignedStaffIds, field) => {
    given([...aCaseOpened()])
      .when({ type: 'ReassignWorker', data: { ...on(TODAY), assignedStaffIds } })
      .thenRefuses('NOT_ASSIGNABLE', field);
  });

  it('refuses the workers already assigned', () => {
    given([...aCaseOpened()])
      .when({ type: 'ReassignWorker', data: { ...on(TODAY), assignedStaffIds: ['as-ciney'] } })
      .thenRefuses('ALREADY_ASSIGNED', 'assignedStaffIds');
  });

  it('refuses an organisation that is not a partner', () => {
    given([...aCaseOpened()])
      .when(
        {
          type: 'ReassignWorker',
          data: { ...on(TODAY), assignedStaffIds: ['delegue-saj-dinant'] },
        },
        sajDinant,
      )
      .thenRefuses('NOT_A_PARTNER');
  });

  it('moves the partner’s assigned workers in the state', () => {
    const state = fold(caseDecider, [
      ...aCaseOpened(),
      {
        type: 'CaseWorkerReassigned',
        data: {
          ...logged('cpas-ciney'),
          assignedStaffIds: ['as-ciney-2'],
          previousStaffIds: ['as-ciney'],
        },
      },
    ]);
    expect(state.status !== 'none' && state.partners['cpas-ciney']?.assignedStaffIds).toEqual([
      'as-ciney-2',
    ]);
  });
});
