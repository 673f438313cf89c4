import { fold } from '../decider';
import {
  decideProtocol,
  protocolDecider,
  ProtocolCommand,
  ProtocolEvent,
  ProtocolRuleViolation,
} from './protocol';

const given = (history: readonly ProtocolEvent[]) => ({
  when: (command: ProtocolCommand) => {
    const decide = () => decideProtocol(command, fold(protocolDecider, history));
    return {
      then: (expected: readonly ProtocolEvent[]) => expect(decide()).toEqual(expected),
      thenRefuses: (code: string) => {
        expect(decide).toThrow(ProtocolRuleViolation);
        expect(decide).toThrow(expect.objectContaining({ code }) as Error);
      },
    };
  },
});

const drafted = (
  version: number,
  effectiveFrom: string,
  signatories = ['cpas-ciney', 'saj-dinant'],
): ProtocolEvent => ({
  type: 'ProtocolVersionDrafted',
  data: {
    protocolId: 'dinant-cpas-saj',
    version,
    effectiveFrom,
    definition: { version },
    signatories,
  },
});
const signed = (version: number, organisationId: string): ProtocolEvent => ({
  type: 'ProtocolVersionSigned',
  data: {
    protocolId: 'dinant-cpas-saj',
    version,
    organisationId,
    signedBy: `chef@${organisationId}`,
    signedOn: '2026-11-20',
  },
});
const adopted = (version: number, effectiveFrom: string): ProtocolEvent => ({
  type: 'ProtocolVersionAdopted',
  data: { protocolId: 'dinant-cpas-saj', version, effectiveFrom },
});
const sign = (version: number, organisationId: string): ProtocolCommand => ({
  type: 'SignProtocolVersion',
  data: { version, organisationId, signedBy: `chef@${organisationId}`, signedOn: '2026-11-20' },
});
const draft = (version: number, effectiveFrom: string): ProtocolCommand => ({
  type: 'DraftProtocolVersion',
  data: {
    protocolId: 'dinant-cpas-saj',
    version,
    effectiveFrom,
    definition: { version },
    signatories: ['cpas-ciney', 'saj-dinant'],
  },
});

describe('protocol lifecycle', () => {
  it('drafts version 1 with the organisations that must sign it', () => {
    given([])
      .when(draft(1, '2026-01-01'))
      .then([drafted(1, '2026-01-01')]);
  });

  it('refuses a version out of sequence, or taking effect before the previous one', () => {
    given([]).when(draft(2, '2026-01-01')).thenRefuses('VERSION_OUT_OF_SEQUENCE');
    given([drafted(1, '2026-01-01')])
      .when(draft(2, '2025-12-01'))
      .thenRefuses('EFFECTIVE_BEFORE_PREVIOUS');
  });

  it('adopts a version when its last partner signs, not before', () => {
    given([drafted(1, '2026-01-01')])
      .when(sign(1, 'cpas-ciney'))
      .then([signed(1, 'cpas-ciney')]);
    given([drafted(1, '2026-01-01'), signed(1, 'cpas-ciney')])
      .when(sign(1, 'saj-dinant'))
      .then([signed(1, 'saj-dinant'), adopted(1, '2026-01-01')]);
  });

  it('supersedes the adopted version when the next one is adopted', () => {
    const history = [
      drafted(1, '2026-01-01'),
      signed(1, 'cpas-ciney'),
      signed(1, 'saj-dinant'),
      adopted(1, '2026-01-01'),
      drafted(2, '2026-11-01'),
      signed(2, 'cpas-ciney'),
    ];
    given(history)
      .when(sign(2, 'saj-dinant'))
      .then([
        signed(2, 'saj-dinant'),
        adopted(2, '2026-11-01'),
        {
          type: 'ProtocolVersionSuperseded',
          data: { protocolId: 'dinant-cpas-saj', version: 1, by: 2 },
        },
      ]);
  });

  it('refuses a signature from a non-partner, a second signature, or for an unknown version', () => {
    given([drafted(1, '2026-01-01')])
      .when(sign(1, 'cpas-namur'))
      .thenRefuses('NOT_A_SIGNATORY');
    given([drafted(1, '2026-01-01'), signed(1, 'cpas-ciney')])
      .when(sign(1, 'cpas-ciney'))
      .thenRefuses('ALREADY_SIGNED');
    given([drafted(1, '2026-01-01')])
      .when(sign(2, 'cpas-ciney'))
      .thenRefuses('UNKNOWN_VERSION');
  });

  it('refuses everything once the protocol has ended', () => {
    const ended: ProtocolEvent = {
      type: 'ProtocolEnded',
      data: { protocolId: 'dinant-cpas-saj', endedOn: '2026-12-31' },
    };
    given([drafted(1, '2026-01-01'), ended])
      .when(sign(1, 'cpas-ciney'))
      .thenRefuses('PROTOCOL_ENDED');
  });
});
