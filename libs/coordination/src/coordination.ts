import { DomainRuleViolation } from '@relais/domain';

export type CoordinationRuleCode =
  | 'MEMBER_EXISTS'
  | 'UNKNOWN_MEMBER_SERVICE'
  | 'BODY_EXISTS'
  | 'UNKNOWN_BODY'
  | 'ALREADY_A_MEMBER'
  | 'NOT_A_MEMBER'
  | 'MEETING_EXISTS'
  | 'UNKNOWN_MEETING'
  | 'MEETING_NOT_HELD_YET'
  | 'NOT_A_BODY_MEMBER'
  | 'MINUTES_NOT_DRAFTED'
  | 'MINUTES_ALREADY_APPROVED'
  | 'MINUTES_NOT_APPROVED'
  | 'MINUTES_ALREADY_DISTRIBUTED'
  | 'NOT_THE_NEXT_MEETING'
  | 'NO_RECIPIENTS'
  | 'OFFICIAL_EXISTS'
  | 'OFFICIAL_EMAIL_TAKEN'
  | 'UNKNOWN_OFFICIAL'
  | 'UNKNOWN_PROTOCOL'
  | 'CASE_CONTENT_REFUSED';

/** A rule of the coordination refused the command: 422 with the code, 404 for an unknown subject. */
export class CoordinationRuleViolation extends DomainRuleViolation<CoordinationRuleCode> {}

export const memberServiceStreamId = (memberId: string) => `coordination-member-${memberId}`;
export const bodyStreamId = (bodyId: string) => `coordination-body-${bodyId}`;
export const meetingStreamId = (meetingId: string) => `coordination-meeting-${meetingId}`;
/** The political officials of the coordination: one list, one stream. */
export const OFFICIALS_STREAM_ID = 'coordination-officials';

/**
 * The fields of a partial change that it sets: a field present but undefined (as a validated DTO
 * holds every field it declares) changes nothing.
 */
export function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** Belgian national numbers, written bare or as 85.07.30-033.28. */
const NISS_LIKE = /(?<!\d)(\d{2})[.\s]?(\d{2})[.\s]?(\d{2})[-\s]?(\d{3})[.\s]?(\d{2})(?!\d)/g;
/** A case's reference as Relais gives it out: commune, year, four characters (CIN-2026-0A1F). */
const CASE_REFERENCE = /\b[A-Z]{3}-\d{4}-[0-9A-F]{4}\b/;

function nissChecksumHolds(digits: string): boolean {
  const check = Number(digits.slice(9));
  const expected = (base: string) => 97 - Number(BigInt(base) % 97n);
  return check === expected(digits.slice(0, 9)) || check === expected(`2${digits.slice(0, 9)}`);
}

/**
 * The coordination is about services, never families: a text that names a case by its reference
 * or a person by a national number with a valid checksum is refused, so minutes and agendas can
 * never carry case content into the network's mailboxes.
 */
export function refuseCaseContent(text: string, field: string): void {
  const nationalNumber = [...text.matchAll(NISS_LIKE)].some((m) =>
    nissChecksumHolds(m.slice(1).join('')),
  );
  if (nationalNumber || CASE_REFERENCE.test(text)) {
    throw new CoordinationRuleViolation(
      'CASE_CONTENT_REFUSED',
      `${field} names a family's case or national number: the coordination speaks of services, never of families`,
      field,
    );
  }
}
