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
