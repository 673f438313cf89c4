/** What the API takes in: the limits its DTOs check, and the web app's forms check too. */

/** What one request body may hold; more answers 413 (bytes) or 400 (depth, entries). */
export const BODY_LIMITS = {
  /** A JSON body, in bytes once any content-encoding is undone: 256 KiB. */
  jsonBytes: 256 * 1024,
  /** A protocol document (`POST /api/v1/protocols`), JSON or YAML: 1 MiB. */
  documentBytes: 1024 * 1024,
  /** Objects and arrays inside one another. */
  depth: 32,
  /** Object keys and array items, counted over the whole body. */
  entries: 10_000,
} as const;

/**
 * The longest text of each kind of field, in characters. Every string field of every request body
 * has one (a unit test walks the DTOs), and every text input of the web app has the same `maxlength`.
 */
export const MAX_LENGTH = {
  personName: 100,
  street: 200,
  postalCode: 20,
  municipality: 100,
  organisationName: 200,
  staffName: 200,
  email: 254,
  password: 200,
  url: 2000,
  secret: 200,
  /** Organisation and arrondissement ids: lower-case words joined by hyphens. */
  slug: 80,
  /** Ids Relais gives out (staff, consents, referrals). */
  id: 100,
  niss: 11,
  ins: 5,
  /** `YYYY-MM-DD`; the web app also reads `dd/mm/yyyy`, as long. */
  date: 10,
  /** Titles, field names and values in a protocol document. */
  protocolText: 200,
  /** What a case search takes (`GET /cases?q=`): a first and a last name, a NISS or a reference. */
  caseSearch: 201,
} as const;

/** The most items each kind of list takes. */
export const MAX_ITEMS = {
  familyMembers: 20,
  staff: 50,
  organisations: 100,
  roles: 10,
  communes: 600,
  arrondissements: 50,
  closureDays: 366,
} as const;

/** A text input holding a comma-separated list: room for its items, a comma and a space each. */
export const listLength = (items: number, itemLength: number): number => items * (itemLength + 2);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An ISO calendar date, `YYYY-MM-DD`, of a day that exists: `2026-02-30` is not one. */
export function isCalendarDate(value: unknown): value is string {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
