import { ProtocolState } from '@relais/domain';
import { ProtocolDefinition } from '@relais/protocol';

/** A version of a protocol with what its lifecycle says of it. */
export interface ProtocolVersion {
  readonly definition: ProtocolDefinition;
  /** Every partner has signed: the version binds from its `effectiveFrom`. */
  readonly signed: boolean;
  /** The protocol ended on this date (YYYY-MM-DD): no version binds events from then on. */
  readonly endedOn?: string;
}

/**
 * The version that judges an event: among the signed versions, the latest to take effect on or
 * before the day the event occurred — not the day it was logged. A newer version supersedes an
 * older one only for events that occurred after it took effect.
 */
export function versionInForce(
  versions: readonly ProtocolVersion[],
  occurredOn: string,
): ProtocolDefinition | undefined {
  const candidates = versions
    .filter((v) => v.signed && v.definition.effectiveFrom <= occurredOn)
    .filter((v) => v.endedOn === undefined || occurredOn < v.endedOn)
    .sort(
      (a, b) =>
        b.definition.effectiveFrom.localeCompare(a.definition.effectiveFrom) ||
        b.definition.version - a.definition.version,
    );
  return candidates[0]?.definition;
}

/**
 * What a protocol's stream, folded by its decider, says binds: the one reading of a protocol's
 * lifecycle for the engine and the dry run. A version binds once adopted (every signatory
 * signed), a superseded one still for the events before its successor; an ended protocol binds
 * nothing from its end.
 */
export function protocolVersionsOf(state: ProtocolState): ProtocolVersion[] {
  return state.versions.map((v) => ({
    definition: v.definition as ProtocolDefinition,
    signed: v.status !== 'draft',
    ...(state.endedOn === undefined ? {} : { endedOn: state.endedOn }),
  }));
}
