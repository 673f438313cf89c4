export interface Address {
  readonly street: string;
  readonly postalCode: string;
  readonly municipality: string;
}

export interface PersonalData {
  readonly firstName: string;
  readonly lastName: string;
  /** YYYY-MM-DD */
  readonly birthDate?: string;
  /** The Belgian national register number: 11 digits, no separators. */
  readonly niss?: string;
  readonly address?: Address;
}

export class InvalidPersonalDataError extends Error {
  constructor(
    /** The path of the bad field, e.g. `niss` or `address.postalCode`. */
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid personal data: ${field} ${problem}`);
    this.name = 'InvalidPersonalDataError';
  }
}

/**
 * The last two digits are 97 minus the first nine modulo 97; for people born from 2000 on, the
 * nine digits are read with a leading 2. The number alone does not tell the century, so either
 * reading may match.
 */
export function isValidNiss(niss: string): boolean {
  if (!/^\d{11}$/.test(niss)) return false;
  const base = niss.slice(0, 9);
  const check = Number(niss.slice(9));
  const expected = (digits: string) => 97 - Number(BigInt(digits) % 97n);
  return check === expected(base) || check === expected(`2${base}`);
}

/**
 * Checks data coming from outside and returns a copy holding only the known fields, so that
 * nothing unexpected is encrypted and stored beside them.
 */
export function validPersonalData(data: PersonalData): PersonalData {
  const firstName = text(data.firstName, 'firstName');
  const lastName = text(data.lastName, 'lastName');
  const result: { -readonly [K in keyof PersonalData]: PersonalData[K] } = { firstName, lastName };
  if (data.birthDate !== undefined) {
    if (!isCalendarDate(data.birthDate)) {
      throw new InvalidPersonalDataError('birthDate', 'must be a date written YYYY-MM-DD');
    }
    result.birthDate = data.birthDate;
  }
  if (data.niss !== undefined) {
    if (typeof data.niss !== 'string' || !isValidNiss(data.niss)) {
      throw new InvalidPersonalDataError(
        'niss',
        'must be 11 digits ending with a valid check number',
      );
    }
    result.niss = data.niss;
  }
  if (data.address !== undefined) {
    const address: unknown = data.address;
    if (typeof address !== 'object' || address === null) {
      throw new InvalidPersonalDataError('address', 'must be an object');
    }
    result.address = {
      street: text(data.address.street, 'address.street'),
      postalCode: text(data.address.postalCode, 'address.postalCode'),
      municipality: text(data.address.municipality, 'address.municipality'),
    };
  }
  return result;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidPersonalDataError(field, 'must not be empty');
  }
  return value.trim();
}

function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
