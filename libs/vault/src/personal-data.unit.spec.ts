import {
  InvalidPersonalDataError,
  isValidNiss,
  PersonalData,
  validPersonalData,
} from './personal-data';

function aPerson(overrides: Partial<PersonalData> = {}): PersonalData {
  return { firstName: 'Amina', lastName: 'Benali', ...overrides };
}

function fieldRejected(data: PersonalData): string | undefined {
  try {
    validPersonalData(data);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidPersonalDataError) return error.field;
    throw error;
  }
}

describe('isValidNiss', () => {
  it.each([
    ['85073003328', 'born in 1985'],
    ['00010100105', 'born in 2000'],
    ['12031511231', 'born in 2012'],
  ])('accepts %s (%s)', (niss) => {
    expect(isValidNiss(niss)).toBe(true);
  });

  it.each([
    ['85073003329', 'a wrong check number'],
    ['00010100106', 'a wrong check number after 2000'],
    ['8507300332', 'ten digits'],
    ['850730033280', 'twelve digits'],
    ['85.07.30-033.28', 'separators'],
    ['8507300332a', 'a letter'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (niss) => {
    expect(isValidNiss(niss)).toBe(false);
  });
});

describe('validPersonalData', () => {
  it('keeps the known fields, trimmed, and drops anything else', () => {
    const input = {
      firstName: ' Amina ',
      lastName: 'Benali',
      birthDate: '1985-07-30',
      niss: '85073003328',
      address: { street: 'Rue Haute 12', postalCode: '1000', municipality: 'Bruxelles' },
      note: 'not personal data the vault knows',
    };
    expect(validPersonalData(input)).toEqual({
      firstName: 'Amina',
      lastName: 'Benali',
      birthDate: '1985-07-30',
      niss: '85073003328',
      address: { street: 'Rue Haute 12', postalCode: '1000', municipality: 'Bruxelles' },
    });
  });

  it.each([
    [{ firstName: '' }, 'firstName'],
    [{ firstName: '   ' }, 'firstName'],
    [{ lastName: '' }, 'lastName'],
    [{ niss: '85073003329' }, 'niss'],
    [{ niss: '85 07 30 033 28' }, 'niss'],
    [{ birthDate: '2023-02-30' }, 'birthDate'],
    [{ birthDate: '1990-13-01' }, 'birthDate'],
    [{ birthDate: '30/07/1985' }, 'birthDate'],
    [{ birthDate: '1985-7-30' }, 'birthDate'],
    [
      { address: { street: 'Rue Haute 12', postalCode: '', municipality: 'Bruxelles' } },
      'address.postalCode',
    ],
  ])('refuses %j naming the field %s', (overrides, field) => {
    expect(fieldRejected(aPerson(overrides))).toBe(field);
  });

  it('accepts 29 February in a leap year only', () => {
    expect(fieldRejected(aPerson({ birthDate: '2000-02-29' }))).toBeUndefined();
    expect(fieldRejected(aPerson({ birthDate: '1900-02-29' }))).toBe('birthDate');
  });

  it('refuses values of the wrong type coming from outside', () => {
    const untyped = { firstName: 'Amina', lastName: 42, niss: 85073003328 };
    expect(fieldRejected(untyped as unknown as PersonalData)).toBe('lastName');
    const badNiss = { firstName: 'Amina', lastName: 'Benali', niss: 85073003328 };
    expect(fieldRejected(badNiss as unknown as PersonalData)).toBe('niss');
  });
});
