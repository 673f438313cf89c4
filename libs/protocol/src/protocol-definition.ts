import type { CaseEventType, OrganisationKind } from '@relais/domain';
import type { Channel } from '@relais/wire';

/**
 * A protocol as its partners sign it: who must tell whom, by when, with which data. It is written
 * as YAML or JSON (see `protocols/dinant-cpas-saj.yaml`) and validated before anything uses it.
 */
export interface ProtocolDefinition {
  /** Stable across versions, lower-case words joined by hyphens. */
  readonly id: string;
  readonly title: string;
  /** 1, 2, …: a new version supersedes the previous one from its `effectiveFrom`. */
  readonly version: number;
  /** YYYY-MM-DD: events that occurred on or after this date follow this version (once signed). */
  readonly effectiveFrom: string;
  readonly partners: readonly PartnerSpec[];
  readonly rules: readonly RuleDefinition[];
}

/** A named organisation, or every organisation of a kind within a territory. */
export type PartnerSpec =
  | { readonly organisation: string }
  | { readonly kind: OrganisationKind; readonly arrondissements: readonly string[] };

export type CompetentKind = 'CPAS' | 'SAJ' | 'SPJ';

export interface RuleDefinition {
  /** Unique within the protocol; obligations and compliance figures refer to it. */
  readonly id: string;
  readonly title: string;
  readonly trigger: {
    readonly event: CaseEventType;
    /** All must hold for the rule to apply. */
    readonly conditions?: readonly Condition[];
  };
  /** Who must inform: always the partner that logged the event; the kind narrows it. */
  readonly obliged: { readonly kind: OrganisationKind };
  readonly recipients: readonly RecipientSpec[];
  /** `immediate`: the day the event occurred; otherwise working days after it, in the obliged party's calendar. */
  readonly deadline: 'immediate' | { readonly workingDays: number };
  /** Working days the recipient has to acknowledge, counted from the notification; `none`: no acknowledgement. */
  readonly acknowledgement: 'none' | { readonly workingDays: number };
  /** The event's fields the recipients receive; nothing else leaves. */
  readonly share: readonly string[];
  /** Also send the name, e-mail and organisation of the obliged party's assigned worker. */
  readonly shareAssignedWorkerContact: boolean;
  readonly channels: readonly Channel[];
  readonly escalation: {
    /** When an acknowledgement is late: the recipient organisation's managers. */
    readonly unacknowledged: 'recipient_managers' | 'none';
    /** When the event was logged after its deadline: the obliged organisation's managers. */
    readonly loggedLate: 'obliged_managers' | 'none';
    /** Working days after the acknowledgement due date before the obligation is breached; 2 when absent. */
    readonly breachAfterWorkingDays?: number;
  };
}

export { CHANNELS, type Channel } from '@relais/wire';

export type RecipientSpec =
  /** The case's active partners of that kind (the obliged party excluded). */
  | { readonly partnersOfKind: OrganisationKind; readonly when?: readonly Condition[] }
  /** The organisation competent for the commune in one of the event's fields (e.g. the new commune of a move). */
  | {
      readonly competentFor: CompetentKind;
      readonly communeField: string;
      readonly when?: readonly Condition[];
    }
  | { readonly organisation: string; readonly when?: readonly Condition[] };

export type Condition =
  /** The event's field has one of these values. */
  | { readonly field: string; readonly in: readonly string[] }
  /** The commune in the event's field is outside the territory of the case's partner of that kind. */
  | { readonly communeField: string; readonly outsideTerritoryOfPartner: CompetentKind };
