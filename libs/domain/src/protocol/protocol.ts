import { assertNever, Decider, DomainRuleViolation, IsoDate } from '../decider';

/**
 * A protocol's life: each version is drafted with the organisations that must sign it, binds
 * once every one of them has signed (from its own effective date), and is superseded by the
 * next adopted version; the protocol may end. The definition itself travels as data: the domain
 * keeps it, the protocol engine reads it.
 */
/** A version as drafted: its document, and the organisations that must sign it. */
export interface ProtocolVersionDraft {
  readonly protocolId: string;
  readonly version: number;
  readonly effectiveFrom: IsoDate;
  readonly definition: unknown;
  readonly signatories: readonly string[];
}

export type ProtocolEvent =
  | {
      type: 'ProtocolVersionDrafted';
      data: ProtocolVersionDraft;
    }
  | {
      type: 'ProtocolVersionSigned';
      data: {
        protocolId: string;
        version: number;
        organisationId: string;
        signedBy: string;
        signedOn: IsoDate;
      };
    }
  | {
      type: 'ProtocolVersionAdopted';
      data: { protocolId: string; version: number; effectiveFrom: IsoDate };
    }
  | { type: 'ProtocolVersionSuperseded'; data: { protocolId: string; version: number; by: number } }
  | { type: 'ProtocolEnded'; data: { protocolId: string; endedOn: IsoDate } };

export type ProtocolCommand =
  | {
      type: 'DraftProtocolVersion';
      data: ProtocolVersionDraft;
    }
  | {
      type: 'SignProtocolVersion';
      data: { version: number; organisationId: string; signedBy: string; signedOn: IsoDate };
    }
  | { type: 'EndProtocol'; data: { endedOn: IsoDate } };

export interface ProtocolVersionState {
  readonly version: number;
  readonly effectiveFrom: IsoDate;
  readonly definition: unknown;
  readonly signatories: readonly string[];
  readonly signedBy: readonly string[];
  readonly status: 'draft' | 'adopted' | 'superseded';
}

export interface ProtocolState {
  readonly protocolId: string | undefined;
  readonly versions: readonly ProtocolVersionState[];
  readonly endedOn: IsoDate | undefined;
}

export type ProtocolRuleCode =
  | 'VERSION_OUT_OF_SEQUENCE'
  | 'UNKNOWN_VERSION'
  | 'NOT_A_SIGNATORY'
  | 'ALREADY_SIGNED'
  | 'PROTOCOL_ENDED'
  | 'NO_SIGNATORIES'
  | 'EFFECTIVE_BEFORE_PREVIOUS';

export class ProtocolRuleViolation extends DomainRuleViolation<ProtocolRuleCode> {}

export const protocolStreamId = (protocolId: string) => `protocol-${protocolId}`;

export const initialProtocolState: ProtocolState = {
  protocolId: undefined,
  versions: [],
  endedOn: undefined,
};

export function evolveProtocol(state: ProtocolState, event: ProtocolEvent): ProtocolState {
  const update = (
    version: number,
    change: (v: ProtocolVersionState) => ProtocolVersionState,
  ): ProtocolState => ({
    ...state,
    versions: state.versions.map((v) => (v.version === version ? change(v) : v)),
  });
  switch (event.type) {
    case 'ProtocolVersionDrafted': {
      const { protocolId, version, effectiveFrom, definition, signatories } = event.data;
      return {
        ...state,
        protocolId,
        versions: [
          ...state.versions,
          { version, effectiveFrom, definition, signatories, signedBy: [], status: 'draft' },
        ],
      };
    }
    case 'ProtocolVersionSigned':
      return update(event.data.version, (v) => ({
        ...v,
        signedBy: [...v.signedBy, event.data.organisationId],
      }));
    case 'ProtocolVersionAdopted':
      return update(event.data.version, (v) => ({ ...v, status: 'adopted' }));
    case 'ProtocolVersionSuperseded':
      return update(event.data.version, (v) => ({ ...v, status: 'superseded' }));
    case 'ProtocolEnded':
      return { ...state, endedOn: event.data.endedOn };
  }
}

const refuse = (code: ProtocolRuleCode, message: string, field?: string): never => {
  throw new ProtocolRuleViolation(code, message, field);
};

export function decideProtocol(command: ProtocolCommand, state: ProtocolState): ProtocolEvent[] {
  if (state.endedOn !== undefined)
    refuse('PROTOCOL_ENDED', `The protocol ended on ${state.endedOn}`);
  const protocolId =
    state.protocolId ?? (command.type === 'DraftProtocolVersion' ? command.data.protocolId : '');
  switch (command.type) {
    case 'DraftProtocolVersion': {
      const { version, effectiveFrom, definition, signatories } = command.data;
      const last = state.versions[state.versions.length - 1];
      if (version !== (last?.version ?? 0) + 1) {
        refuse(
          'VERSION_OUT_OF_SEQUENCE',
          `The next version is ${(last?.version ?? 0) + 1}, not ${version}`,
          'version',
        );
      }
      if (last && effectiveFrom <= last.effectiveFrom) {
        refuse(
          'EFFECTIVE_BEFORE_PREVIOUS',
          `Version ${version} must take effect after ${last.effectiveFrom}`,
          'effectiveFrom',
        );
      }
      if (signatories.length === 0)
        refuse('NO_SIGNATORIES', 'A protocol needs at least one partner to sign it', 'partners');
      return [
        {
          type: 'ProtocolVersionDrafted',
          data: {
            protocolId,
            version,
            effectiveFrom,
            definition,
            signatories: [...new Set(signatories)],
          },
        },
      ];
    }
    case 'SignProtocolVersion': {
      const { version, organisationId, signedBy, signedOn } = command.data;
      const target = state.versions.find((v) => v.version === version);
      if (!target) return refuse('UNKNOWN_VERSION', `No version ${version}`, 'version');
      if (!target.signatories.includes(organisationId)) {
        refuse('NOT_A_SIGNATORY', `${organisationId} is not a partner of version ${version}`);
      }
      if (target.signedBy.includes(organisationId))
        refuse('ALREADY_SIGNED', `${organisationId} has already signed version ${version}`);
      const signed: ProtocolEvent = {
        type: 'ProtocolVersionSigned',
        data: { protocolId, version, organisationId, signedBy, signedOn },
      };
      const complete = target.signatories.every(
        (o) => o === organisationId || target.signedBy.includes(o),
      );
      if (!complete) return [signed];
      const superseded = state.versions
        .filter((v) => v.status === 'adopted' && v.version < version)
        .map((v): ProtocolEvent => ({
          type: 'ProtocolVersionSuperseded',
          data: { protocolId, version: v.version, by: version },
        }));
      return [
        signed,
        {
          type: 'ProtocolVersionAdopted',
          data: { protocolId, version, effectiveFrom: target.effectiveFrom },
        },
        ...superseded,
      ];
    }
    case 'EndProtocol':
      return [{ type: 'ProtocolEnded', data: { protocolId, endedOn: command.data.endedOn } }];
    default:
      return assertNever(command);
  }
}

export const protocolDecider: Decider<ProtocolCommand, ProtocolEvent, ProtocolState, void> = {
  initialState: initialProtocolState,
  evolve: evolveProtocol,
  decide: (command, state) => decideProtocol(command, state),
};
