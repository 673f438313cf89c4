import type { WorkerContact } from './network.js';
import type { Channel, ObligationEscalation } from './vocabulary.js';

export interface ProtocolVersionView {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly status: 'draft' | 'adopted' | 'superseded';
  readonly title: string;
  readonly signatories: readonly string[];
  readonly signedBy: readonly string[];
  /** In `GET /protocols/:id` only: each rule as the protocol file states it. */
  readonly rules?: readonly { readonly id: string; readonly title?: string }[];
}

/** `GET /protocols`, `GET /protocols/:id`. */
export interface ProtocolView {
  readonly id: string;
  /** The latest version's title. */
  readonly title: string;
  readonly endedOn: string | null;
  readonly versions: readonly ProtocolVersionView[];
}

/** One obligation the dry run says an event would open. */
export interface SimulatedObligation {
  readonly ruleId: string;
  readonly ruleTitle: string | undefined;
  readonly obligedOrganisationId: string;
  readonly recipientOrganisationId: string;
  readonly dueOn: string;
  readonly acknowledgementWithinWorkingDays: number | null;
  /** Counted from today, as if the event were logged now. */
  readonly acknowledgementDueOn: string | null;
  /** Logged today, the event would be past its deadline: breached from the start. */
  readonly loggedLate: boolean;
  readonly sharedData: Readonly<Record<string, unknown>>;
  readonly shareAssignedWorkerContact: boolean;
  /** The assigned workers whose contact the recipient would receive. */
  readonly contacts: readonly WorkerContact[];
  readonly channels: readonly Channel[];
  /** `blocked_no_legal_basis`: the recipient has no legal basis on the case and would receive nothing. */
  readonly legalBasis: 'ok' | 'blocked_no_legal_basis';
  readonly escalation: ObligationEscalation;
}

/** `POST /protocols/:id/simulate`. */
export interface Simulation {
  readonly protocolId: string;
  /** The version in force on the day the event occurred; null when none binds it. */
  readonly version: number | null;
  readonly obligations: readonly SimulatedObligation[];
}
