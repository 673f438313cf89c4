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
  /** A professional phone number as typed: `+32 81 23 45 67`, `0470/12.34.56`. */
  phone: 30,
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

/** `GET /cases` pages: `limit` cases at most per answer, this many when not asked. */
export const CASE_PAGE = { default: 50, max: 200 } as const;

/**
 * A Belgian phone number as typed (spaces, dots, slashes, dashes and brackets aside, with `0`,
 * `+32` or `0032` before it), in its international form `+32…`; undefined when it is not one. The
 * number after the prefix has 8 digits not starting with 0 (a fixed line: `081 23 45 67`) or 9
 * starting with 4 (a mobile: `0470 12 34 56`).
 */
export function belgianPhoneNumber(typed: string): string | undefined {
  const compact = typed.replace(/[\s./()-]/g, '');
  const national = /^(?:\+32|0032|0)(\d+)$/.exec(compact)?.[1];
  if (national === undefined) return undefined;
  return /^[1-9]\d{7}$/.test(national) || /^4\d{8}$/.test(national) ? `+32${national}` : undefined;
}

/**
 * A number `belgianPhoneNumber` kept, written as Belgians read it: `+32 470 12 34 56` (mobile),
 * `+32 2 123 45 67` (a one-digit zone: Brussels, Antwerp, Liège, Ghent), `+32 81 23 45 67`.
 */
export function formattedBelgianPhone(phone: string): string {
  const national = /^\+32(\d{8,9})$/.exec(phone)?.[1];
  if (national === undefined) return phone;
  const groups =
    national.length === 9
      ? [3, 2, 2, 2]
      : '2349'.includes(national.charAt(0))
        ? [1, 3, 2, 2]
        : [2, 2, 2, 2];
  let at = 0;
  const parts = groups.map((n) => national.slice(at, (at += n)));
  return `+32 ${parts.join(' ')}`;
}
