/**
 * The words the API and the web app both speak. The domain takes them from here, so that what
 * the web app offers is what the API accepts.
 */

export const STAFF_ROLES = [
  'social_worker',
  'saj_delegate',
  'manager',
  'coordinator',
  'admin',
  'dpo',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ORGANISATION_KINDS = ['CPAS', 'SAJ', 'SPJ', 'OTHER'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const LEGAL_BASES = [
  'family_informed_consent',
  'judicial_mandate',
  'legal_obligation',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const SUBJECT_ROLES = ['parent', 'child', 'other_adult'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

/** The communes an organisation serves, listed or by arrondissement. */
export type Territory =
  | { readonly kind: 'communes'; readonly communes: readonly string[] }
  | { readonly kind: 'arrondissements'; readonly arrondissements: readonly string[] };

export type Channel = 'inbox' | 'email' | 'webhook';
export const CHANNELS: readonly Channel[] = ['inbox', 'email', 'webhook'];

/** `blocked_no_legal_basis`: nothing was sent; the obliged party must find a legal basis or tell them otherwise. */
export const OBLIGATION_STATUSES = [
  'open',
  'acknowledged',
  'fulfilled_outside',
  'blocked_no_legal_basis',
] as const;
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number];

/** Who a rule tells when an obligation goes wrong, and how long it waits before a breach. */
export interface ObligationEscalation {
  /** An acknowledgement overdue: the recipient organisation's managers are told, or nobody. */
  readonly unacknowledged: 'recipient_managers' | 'none';
  /** The event logged after its deadline: the obliged organisation's managers are told, or nobody. */
  readonly loggedLate: 'obliged_managers' | 'none';
  /** Working days after the acknowledgement due date before an unacknowledged obligation is breached. */
  readonly breachAfterWorkingDays: number;
}
