import type { ErasureReason } from '@relais/wire';
import type { IsoDate } from '../decider';

export { ERASURE_REASONS, RETENTION_YEARS, type ErasureReason } from '@relais/wire';

/**
 * The DPO's side of the store. An erasure names the person by subject id and their case, with its
 * reason code; the author is the event's actor (`system` for the retention job). No personal data.
 */
export type PrivacyEvent =
  | {
      type: 'PersonalDataErased';
      data: { subjectId: string; caseId: string; reason: ErasureReason };
    }
  | { type: 'RetentionPeriodSet'; data: { organisationId: string; years: number } };

export const erasureStreamId = (subjectId: string) => `erasure-${subjectId}`;
export const retentionStreamId = (organisationId: string) => `retention-${organisationId}`;

/** The day personal data of a case ended on `endedOn` is shredded: 29 February falls to the 28th. */
export function retentionEndsOn(endedOn: IsoDate, years: number): IsoDate {
  const [y, m, d] = endedOn.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(m)}-${pad(Math.min(d, lastDay))}`;
}
