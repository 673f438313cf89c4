import { fold } from '../decider';
import { CaseEvent } from '../case/case.events';
import { CaseCommand, CaseContext, caseDecider, CaseRuleViolation } from '../case/case.decide';

export const TODAY = '2026-11-20';
export const CINEY = '91030';
export const ROCHEFORT = '91114';

export const cpasCiney: CaseContext['actor'] = { organisationId: 'cpas-ciney', kind: 'CPAS' };
export const sajDinant: CaseContext['actor'] = { organisationId: 'saj-dinant', kind: 'SAJ' };
export const cpasDinant: CaseContext['actor'] = { organisationId: 'cpas-dinant', kind: 'CPAS' };
export const spjDinant: CaseContext['actor'] = { organisationId: 'spj-dinant', kind: 'SPJ' };

const KNOWN_COMMUNES = new Set([CINEY, ROCHEFORT, '91034', '92094']);
/** Namur (92094) has no CPAS in this network. */
const COMPETENT_CPAS: Readonly<Record<string, string>> = {
  [CINEY]: 'cpas-ciney',
  [ROCHEFORT]: 'cpas-rochefort',
  '91034': 'cpas-dinant',
};

/** Each organisation's active staff; `as-ciney-2` and `delegue-saj-dinant-2` take cases over. */
const ACTIVE_STAFF: Readonly<Record<string, readonly string[]>> = {
  'cpas-ciney': ['as-ciney', 'as-ciney-2'],
  'saj-dinant': ['delegue-saj-dinant', 'delegue-saj-dinant-2'],
};

export function contextFor(actor: CaseContext['actor'], today = TODAY): CaseContext {
  return {
    actor,
    today,
    isKnownCommune: (ins) => KNOWN_COMMUNES.has(ins),
    competentCpas: (ins) => COMPETENT_CPAS[ins],
    activeStaffIds: new Set(ACTIVE_STAFF[actor.organisationId] ?? []),
  };
}

/** That `decide` throws a refusal of this type, with this code (and field). */
export function expectRefusal(
  decide: () => unknown,
  type: abstract new (...args: never[]) => Error,
  code: string,
  field?: string,
): void {
  let error: unknown;
  try {
    decide();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject(field ? { code, field } : { code });
}

/** `given(events).when(command, by).then(events)` or `.thenRefuses(code)`. */
export function given(history: readonly CaseEvent[]) {
  return {
    when(command: CaseCommand, actor: CaseContext['actor'] = cpasCiney, today = TODAY) {
      const decide = () =>
        caseDecider.decide(command, fold(caseDecider, history), contextFor(actor, today));
      return {
        then(expected: readonly CaseEvent[]) {
          expect(decide()).toEqual(expected);
        },
        thenRefuses(code: string, field?: string) {
          expectRefusal(decide, CaseRuleViolation, code, field);
        },
      };
    },
  };
}

const logged = (organisationId: string, occurredOn = '2026-11-02') => ({
  caseId: 'case-1',
  occurredOn,
  organisationId,
});

export function aCaseOpened(
  overrides: { occurredOn?: string; residenceCommune?: string } = {},
): CaseEvent[] {
  const base = logged('cpas-ciney', overrides.occurredOn ?? '2026-11-02');
  return [
    {
      type: 'CaseOpened',
      data: {
        ...base,
        reference: 'CIN-2026-0001',
        residenceCommune: overrides.residenceCommune ?? CINEY,
        subjects: [
          { subjectId: 'subject-mother', role: 'parent' },
          { subjectId: 'subject-child', role: 'child' },
        ],
      },
    },
    {
      type: 'PartnerJoined',
      data: {
        ...base,
        partnerId: 'cpas-ciney',
        partnerKind: 'CPAS',
        assignedStaffIds: ['as-ciney'],
        legalBasis: 'legal_obligation',
      },
    },
  ];
}

export function aPartnerJoined(
  partnerId = 'saj-dinant',
  partnerKind: 'CPAS' | 'SAJ' | 'SPJ' | 'OTHER' = 'SAJ',
  legalBasis:
    'family_informed_consent' | 'judicial_mandate' | 'legal_obligation' = 'judicial_mandate',
): CaseEvent {
  return {
    type: 'PartnerJoined',
    data: {
      ...logged('cpas-ciney', '2026-11-03'),
      partnerId,
      partnerKind,
      assignedStaffIds: [`delegue-${partnerId}`],
      legalBasis,
    },
  };
}

export function aConsentRecorded(consentId = 'consent-1', sharingWith = ['saj-dinant']): CaseEvent {
  return {
    type: 'ConsentRecorded',
    data: {
      ...logged('cpas-ciney', '2026-11-03'),
      consentId,
      givenBy: 'subject-mother',
      sharingWith,
    },
  };
}

export function aConsentWithdrawn(consentId = 'consent-1'): CaseEvent {
  return { type: 'ConsentWithdrawn', data: { ...logged('cpas-ciney', '2026-11-04'), consentId } };
}

export function aFileClosed(organisationId: string): CaseEvent {
  return {
    type: 'CaseClosed',
    data: { ...logged(organisationId, '2026-11-05'), reason: 'objectives_reached' },
  };
}

export function aReferralSent(referralId = 'referral-1', to = 'saj-dinant'): CaseEvent {
  return {
    type: 'ReferralSent',
    data: { ...logged('cpas-ciney', '2026-11-03'), referralId, to, reason: 'youth_aid_needed' },
  };
}
