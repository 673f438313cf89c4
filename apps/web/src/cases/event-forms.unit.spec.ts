import type { CaseView, ObligationView, TimelineEntry } from '@relais/wire';
import { availableTypes, eventBody, validateEvent } from './event-forms';
import { obligationsByEvent } from './timeline';

const aCase = (overrides: Partial<CaseView> = {}): CaseView => ({
  id: 'c',
  reference: 'CIN-2026-AB12',
  status: 'open',
  access: 'partner',
  version: 3,
  openedOn: '2026-11-02',
  openedBy: 'cpas-ciney',
  residenceCommune: { ins: '91030', name: 'Ciney' },
  family: [],
  partners: [
    {
      organisationId: 'cpas-ciney',
      name: 'CPAS de Ciney',
      kind: 'CPAS',
      status: 'active',
      legalBasis: 'legal_obligation',
      consentId: null,
      assignedStaffIds: [],
    },
    {
      organisationId: 'saj-dinant',
      name: 'SAJ de Dinant',
      kind: 'SAJ',
      status: 'active',
      legalBasis: 'judicial_mandate',
      consentId: null,
      assignedStaffIds: [],
    },
  ],
  consents: [],
  referrals: [],
  ...overrides,
});

describe('the event forms', () => {
  it('offer each partner the events its kind may log', () => {
    expect(availableTypes(aCase(), 'cpas-ciney', 'CPAS')).toEqual(
      expect.arrayContaining(['RisSuppressed', 'FamilyRelocated', 'CaseClosed']),
    );
    expect(availableTypes(aCase(), 'cpas-ciney', 'CPAS')).not.toContain('AidProgrammeChanged');
    expect(availableTypes(aCase(), 'saj-dinant', 'SAJ')).toEqual(
      expect.arrayContaining(['AidProgrammeChanged', 'CaseJudicialised']),
    );
    expect(availableTypes(aCase(), 'saj-dinant', 'SAJ')).not.toContain('RisSuppressed');
    expect(availableTypes(aCase({ status: 'ended' }), 'cpas-ciney', 'CPAS')).toEqual([]);
  });

  it('offer the recipient of a referral only its answers', () => {
    const referred = aCase({
      referrals: [{ referralId: 'r', from: 'cpas-ciney', to: 'spj-dinant', status: 'sent' }],
    });
    expect(availableTypes(referred, 'spj-dinant', 'SPJ')).toEqual([
      'ReferralAccepted',
      'ReferralDeclined',
    ]);
    expect(availableTypes(referred, 'cpas-ciney', 'CPAS')).not.toContain('ReferralAccepted');
  });

  it('refuse a date before the case opened, as the case does', () => {
    expect(
      validateEvent(
        'CaseClosed',
        { occurredOn: '01/11/2026', reason: 'other' },
        { openedOn: '2026-11-02' },
      ),
    ).toEqual({ occurredOn: { key: 'validation.beforeOpened', params: { date: '02/11/2026' } } });
  });

  it('send ISO dates and only the fields filled in', () => {
    expect(
      eventBody('InformationSharedOutsideRelais', {
        occurredOn: '20/11/2026',
        channel: 'phone',
        sharedWith: 'saj-dinant',
        about: 'RisSuppressed',
        aboutEventId: '',
      }),
    ).toEqual({
      type: 'InformationSharedOutsideRelais',
      occurredOn: '2026-11-20',
      channel: 'phone',
      sharedWith: 'saj-dinant',
      about: 'RisSuppressed',
    });
    expect(
      eventBody('ReferralAccepted', {
        occurredOn: '3/11/2026',
        referralId: 'referral-1',
        legalBasis: 'judicial_mandate',
      }),
    ).toEqual({
      type: 'ReferralAccepted',
      occurredOn: '2026-11-03',
      referralId: 'referral-1',
      legalBasis: 'judicial_mandate',
      assignedStaffIds: [],
    });
  });
});

describe('the timeline', () => {
  const entry = (eventId: string, type: string, occurredOn: string): TimelineEntry => ({
    eventId,
    type,
    occurredOn,
    version: 1,
    recordedAt: '2026-11-20T09:00:00.000Z',
    organisationId: 'cpas-ciney',
    actorId: null,
    data: {},
  });
  const obligation = (id: string, eventType: string, occurredOn: string, obliged = 'cpas-ciney') =>
    ({ id, eventType, occurredOn, obligedOrganisationId: obliged }) as ObligationView;

  it('puts each obligation under the event it came from, whatever the clocks say', () => {
    const timeline = [
      entry('e1', 'RisSuppressed', '2026-11-17'),
      entry('e2', 'FamilyRelocated', '2026-11-19'),
    ];
    const { byEvent, unmatched } = obligationsByEvent(timeline, [
      obligation('o1', 'FamilyRelocated', '2026-11-19'),
      obligation('o2', 'FamilyRelocated', '2026-11-19'),
      obligation('o3', 'RisSuppressed', '2026-11-17'),
      obligation('o4', 'AidProgrammeChanged', '2026-11-03', 'saj-dinant'),
    ]);
    expect(byEvent.get('e2')?.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect(byEvent.get('e1')?.map((o) => o.id)).toEqual(['o3']);
    expect(unmatched.map((o) => o.id)).toEqual(['o4']);
  });
});
