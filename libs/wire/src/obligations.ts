import type { NamedMember } from './cases.js';
import type { WorkerContact } from './network.js';
import type { ObligationStatus } from './vocabulary.js';

/** How one delivery of a notification went: one per e-mail address, one for the webhook. */
export interface DeliveryState<Time = string> {
  readonly channel: string;
  readonly status: 'delivered' | 'retrying' | 'dead';
  readonly attempts: number;
  readonly at: Time;
  readonly reason: string | null;
}

/** What both sides see of an obligation: the rule, the dates, and how far it went. */
interface ObligationBase<Time> {
  readonly id: string;
  readonly caseId: string;
  readonly protocolId: string;
  readonly ruleId: string;
  readonly eventType: string;
  readonly occurredOn: string;
  readonly dueOn: string;
  readonly acknowledgementDueOn: string | null;
  readonly acknowledgedAt: Time | null;
  readonly escalatedOn: string | null;
  readonly breachedOn: string | null;
  readonly fulfilledOutsideOn: string | null;
}

/**
 * `GET /inbox`: a notification in the recipient's inbox, with the data the rule shares. `Time` is
 * a `Date` in the API and its ISO text once JSON carries it.
 */
export interface Notification<Time = string> extends ObligationBase<Time> {
  readonly from: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly status: Exclude<ObligationStatus, 'blocked_no_legal_basis'>;
  /** Whether the caller is one of the recipient's staff assigned to the case. */
  readonly assignedToMe: boolean;
  readonly receivedAt: Time;
  /** The obliged party's workers to call about it, when the rule shares them; never the family. */
  readonly contacts: readonly WorkerContact[];
  /** The case's reference, which every notification may name (the family never). */
  readonly caseReference: string | null;
  /**
   * What the recipient may open of the case: `partner` (all of it), `referral` (a referral to
   * answer), `former_partner` (as it was when it left) or `none`: the case is not shared with it.
   */
  readonly caseAccess: 'partner' | 'referral' | 'former_partner' | 'none';
  /** The family by name when `caseAccess` is `partner` or `former_partner`; else empty. */
  readonly family: readonly NamedMember[];
}

/**
 * `GET /outgoing`, `GET /cases/:id/obligations`: an obligation seen from either side, who had to
 * tell whom, by when, and how it went. No shared data: the obliged party knows what it logged,
 * and others on the case see only its progress.
 */
export interface ObligationView<Time = string> extends ObligationBase<Time> {
  readonly obligedOrganisationId: string;
  readonly recipientOrganisationId: string;
  readonly status: ObligationStatus;
  readonly openedAt: Time;
  readonly deliveries: readonly DeliveryState<Time>[];
  /** The case's reference (a reference names no family); null before the cases list holds it. */
  readonly caseReference: string | null;
}
