/**
 * Why a person's personal data is erased: a code, never free text. `retention` is the worker's
 * alone (the organisation's retention period ran out); the DPO gives one of the others.
 */
export const ERASURE_REASONS = [
  'data_subject_request',
  'consent_withdrawn',
  'unlawful_processing',
  'no_longer_necessary',
  'legal_obligation',
  'retention',
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export const DPO_ERASURE_REASONS = ERASURE_REASONS.filter(
  (r): r is Exclude<ErasureReason, 'retention'> => r !== 'retention',
);

/** Years personal data of an ended case is kept, per organisation. */
export const RETENTION_YEARS = { min: 1, max: 30, default: 10 } as const;

/** `POST /erasures`, `GET /erasures`: one person erased, with who asked and why; never a name. */
export interface Erasure<Time = string> {
  readonly subjectId: string;
  readonly caseId: string;
  readonly caseReference: string;
  readonly reason: ErasureReason;
  /** The DPO's staff id; null when the retention job erased. */
  readonly erasedBy: string | null;
  readonly erasedAt: Time;
  readonly erased: true;
}

/** `GET`, `PUT /organisations/:id/retention`. */
export interface RetentionPolicy<Time = string> {
  readonly organisationId: string;
  readonly years: number;
  /** True while the organisation has not set its own: the default applies. */
  readonly isDefault: boolean;
  readonly setBy: string | null;
  readonly setAt: Time | null;
}

/** `GET /retention/expiring`: an ended case whose family's personal data is shredded soon. */
export interface ExpiringCase {
  readonly caseId: string;
  readonly reference: string;
  /** The day the last partner's ending was logged. */
  readonly endedOn: string;
  readonly expiresOn: string;
  /** The longest retention among the case's partners: the one that applies. */
  readonly years: number;
  readonly partnerIds: readonly string[];
  readonly subjectIds: readonly string[];
}
