import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CaseEvent,
  caseDecider,
  ExistingCase,
  fold,
  protocolDecider,
  ProtocolEvent,
} from '@relais/domain';
import { dinantNetwork } from '@relais/network';
import { parseProtocolDocument } from '@relais/protocol';
import { ProtocolDefinition } from '@relais/protocol';
import { ObligationDraft, obligationsFor } from './obligations';
import { calendarsOf, networkOf } from './reference-network';
import { protocolVersionsOf, versionInForce } from './version-in-force';

const dinant: ProtocolDefinition = parseProtocolDocument(
  readFileSync(join(__dirname, '../../../protocols/dinant-cpas-saj.yaml'), 'utf8'),
);
const directory = dinantNetwork();
const network = networkOf(directory);
const calendars = calendarsOf(directory);

const logged = (organisationId: string, occurredOn: string) => ({
  caseId: 'case-1',
  occurredOn,
  organisationId,
});

function aCase(...more: CaseEvent[]): ExistingCase {
  const state = fold(caseDecider, [
    {
      type: 'CaseOpened',
      data: {
        ...logged('cpas-ciney', '2026-10-01'),
        reference: 'CIN-2026-0001',
        residenceCommune: '91030',
        subjects: [],
      },
    },
    {
      type: 'PartnerJoined',
      data: {
        ...logged('cpas-ciney', '2026-10-01'),
        partnerId: 'cpas-ciney',
        partnerKind: 'CPAS',
        assignedStaffIds: [],
        legalBasis: 'legal_obligation',
      },
    },
    {
      type: 'PartnerJoined',
      data: {
        ...logged('cpas-ciney', '2026-10-02'),
        partnerId: 'saj-dinant',
        partnerKind: 'SAJ',
        assignedStaffIds: [],
        legalBasis: 'judicial_mandate',
      },
    },
    ...more,
  ] as CaseEvent[]);
  if (state.status === 'none') throw new Error('no case');
  return state;
}

const evaluate = (event: CaseEvent, caseState = aCase(), protocol = dinant): ObligationDraft[] =>
  obligationsFor({
    protocol,
    event: { eventId: 'event-1', ...event },
    caseState,
    network,
    calendars,
  });

describe('obligationsFor, with the Dinant protocol', () => {
  it('a RIS suppression logged by CPAS Ciney obliges it to tell SAJ Dinant within 5 working days, sharing only the allowed fields', () => {
    const [obligation, ...others] = evaluate({
      type: 'RisSuppressed',
      data: {
        ...logged('cpas-ciney', '2026-11-20'),
        reason: 'resources_above_threshold',
        effectiveOn: '2026-12-01',
      },
    });
    expect(others).toEqual([]);
    expect(obligation).toMatchObject({
      protocolId: 'dinant-cpas-saj',
      protocolVersion: 1,
      ruleId: 'cpas-ris-suppressed',
      obligedOrganisationId: 'cpas-ciney',
      recipientOrganisationId: 'saj-dinant',
      occurredOn: '2026-11-20',
      dueOn: '2026-11-27',
      acknowledgementWithinWorkingDays: 5,
      legalBasis: 'ok',
      channels: ['inbox', 'email', 'webhook'],
    });
    expect(obligation?.sharedData).toEqual({
      occurredOn: '2026-11-20',
      reason: 'resources_above_threshold',
      effectiveOn: '2026-12-01',
    });
  });

  it('a move from Ciney to Rochefort also tells CPAS Rochefort, on the protocol’s own footing', () => {
    const obligations = evaluate({
      type: 'FamilyRelocated',
      data: {
        ...logged('cpas-ciney', '2026-11-20'),
        fromCommune: '91030',
        destinationCommune: '91114',
        effectiveOn: '2026-11-20',
      },
    });
    expect(obligations.map((o) => [o.recipientOrganisationId, o.legalBasis])).toEqual([
      ['saj-dinant', 'ok'],
      ['cpas-rochefort', 'ok'],
    ]);
  });

  it('a move out of the arrondissement also tells the SAJ of the new one', () => {
    const obligations = evaluate({
      type: 'FamilyRelocated',
      data: {
        ...logged('cpas-ciney', '2026-11-20'),
        fromCommune: '91030',
        destinationCommune: '92094',
        effectiveOn: '2026-11-20',
      },
    });
    expect(obligations.map((o) => o.recipientOrganisationId)).toEqual([
      'saj-dinant',
      'cpas-namur',
      'saj-namur',
    ]);
  });

  it('counts a judicialisation’s 2 working days in the SAJ’s calendar, over Christmas', () => {
    const [obligation] = evaluate({
      type: 'CaseJudicialised',
      data: { ...logged('saj-dinant', '2026-12-23'), to: 'spj' },
    });
    expect(obligation).toMatchObject({
      recipientOrganisationId: 'cpas-ciney',
      dueOn: '2026-12-28',
    });
  });

  it('blocks an obligation towards a partner whose consent was withdrawn: no data leaves', () => {
    const caseState = aCase(
      {
        type: 'PartnerLeft',
        data: { ...logged('saj-dinant', '2026-10-03'), partnerId: 'saj-dinant' },
      },
      {
        type: 'ConsentRecorded',
        data: {
          ...logged('cpas-ciney', '2026-10-04'),
          consentId: 'consent-1',
          givenBy: 's-1',
          sharingWith: ['saj-dinant'],
        },
      },
      {
        type: 'PartnerJoined',
        data: {
          ...logged('cpas-ciney', '2026-10-05'),
          partnerId: 'saj-dinant',
          partnerKind: 'SAJ',
          assignedStaffIds: [],
          legalBasis: 'family_informed_consent',
          consentId: 'consent-1',
        },
      },
      {
        type: 'ConsentWithdrawn',
        data: { ...logged('cpas-ciney', '2026-10-06'), consentId: 'consent-1' },
      },
    );
    const [obligation] = evaluate(
      {
        type: 'RisSuppressed',
        data: { ...logged('cpas-ciney', '2026-11-20'), reason: 'other', effectiveOn: '2026-11-20' },
      },
      caseState,
    );
    expect(obligation?.legalBasis).toBe('blocked_no_legal_basis');
  });

  it('opens nothing for events the protocol does not name, for the wrong obliged kind, or for a non-signatory', () => {
    expect(
      evaluate({
        type: 'CaseClosed',
        data: { ...logged('cpas-ciney', '2026-11-20'), reason: 'other' },
      }),
    ).toEqual([]);
    expect(
      evaluate({
        type: 'CaseClosed',
        data: { ...logged('saj-dinant', '2026-11-20'), reason: 'other' },
      }),
    ).toHaveLength(1);
    expect(
      evaluate({
        type: 'InformationSharedOutsideRelais',
        data: {
          ...logged('cpas-ciney', '2026-11-20'),
          channel: 'phone',
          sharedWith: 'saj-dinant',
          about: 'RisSuppressed',
        },
      }),
    ).toEqual([]);
    expect(
      evaluate({
        type: 'RisSuppressed',
        data: { ...logged('cpas-namur', '2026-11-20'), reason: 'other', effectiveOn: '2026-11-20' },
      }),
    ).toEqual([]);
  });

  it('gives the same keys when an event is evaluated again, so a replay opens nothing new', () => {
    const event: CaseEvent = {
      type: 'FamilyRelocated',
      data: {
        ...logged('cpas-ciney', '2026-11-20'),
        fromCommune: '91030',
        destinationCommune: '91114',
        effectiveOn: '2026-11-20',
      },
    };
    expect(evaluate(event).map((o) => o.key)).toEqual(evaluate(event).map((o) => o.key));
    expect(new Set(evaluate(event).map((o) => o.key)).size).toBe(2);
  });
});

describe('versionInForce', () => {
  const v1 = dinant;
  const v2: ProtocolDefinition = {
    ...dinant,
    version: 2,
    effectiveFrom: '2026-11-01',
    rules: dinant.rules.map((rule) => ({ ...rule, deadline: { workingDays: 3 } })),
  };

  it('judges an event by the version in force on the day it occurred, even when logged afterwards', () => {
    const versions = [
      { definition: v1, signed: true },
      { definition: v2, signed: true },
    ];
    const before = versionInForce(versions, '2026-10-30');
    const after = versionInForce(versions, '2026-11-02');
    expect(before?.version).toBe(1);
    expect(after?.version).toBe(2);
    const risOn = (occurredOn: string, protocol: ProtocolDefinition) =>
      evaluate(
        {
          type: 'RisSuppressed',
          data: { ...logged('cpas-ciney', occurredOn), reason: 'other', effectiveOn: occurredOn },
        },
        aCase(),
        protocol,
      )[0];
    expect(risOn('2026-10-30', before ?? v1)).toMatchObject({
      protocolVersion: 1,
      dueOn: '2026-11-06',
    });
    expect(risOn('2026-11-02', after ?? v1)).toMatchObject({
      protocolVersion: 2,
      dueOn: '2026-11-05',
    });
  });

  it('ignores a version not signed by every partner, and everything after the protocol ended', () => {
    expect(
      versionInForce(
        [
          { definition: v1, signed: true },
          { definition: v2, signed: false },
        ],
        '2026-11-20',
      )?.version,
    ).toBe(1);
    expect(
      versionInForce([{ definition: v1, signed: true, endedOn: '2026-11-15' }], '2026-11-20'),
    ).toBeUndefined();
    expect(versionInForce([{ definition: v1, signed: true }], '2025-12-31')).toBeUndefined();
  });
});

describe('protocolVersionsOf, the one reading of a protocol for the engine and the dry run', () => {
  const v2: ProtocolDefinition = { ...dinant, version: 2, effectiveFrom: '2026-11-01' };
  const drafted = (definition: ProtocolDefinition): ProtocolEvent => ({
    type: 'ProtocolVersionDrafted',
    data: {
      protocolId: definition.id,
      version: definition.version,
      effectiveFrom: definition.effectiveFrom,
      definition,
      signatories: ['cpas-ciney', 'saj-dinant'],
    },
  });
  const adopted = (definition: ProtocolDefinition): ProtocolEvent => ({
    type: 'ProtocolVersionAdopted',
    data: {
      protocolId: definition.id,
      version: definition.version,
      effectiveFrom: definition.effectiveFrom,
    },
  });
  const inForce = (history: ProtocolEvent[], on: string) =>
    versionInForce(protocolVersionsOf(fold(protocolDecider, history)), on)?.version;

  it('binds a version from its adoption, keeps a superseded one for the events before its successor', () => {
    const history = [drafted(dinant), adopted(dinant), drafted(v2)];
    expect(inForce(history, '2026-11-02')).toBe(1);
    const superseded: ProtocolEvent = {
      type: 'ProtocolVersionSuperseded',
      data: { protocolId: dinant.id, version: 1, by: 2 },
    };
    const later = [...history, adopted(v2), superseded];
    expect(inForce(later, '2026-11-02')).toBe(2);
    expect(inForce(later, '2026-10-30')).toBe(1);
  });

  it('binds nothing from the day the protocol ended', () => {
    const ended: ProtocolEvent = {
      type: 'ProtocolEnded',
      data: { protocolId: dinant.id, endedOn: '2026-12-01' },
    };
    const history = [drafted(dinant), adopted(dinant), ended];
    expect(inForce(history, '2026-11-30')).toBe(1);
    expect(inForce(history, '2026-12-01')).toBeUndefined();
  });
});
