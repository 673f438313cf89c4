import {
  addMonths,
  belgianPhoneNumber,
  formattedBelgianPhone,
  isCalendarDate,
  monthsBetween,
} from './index';

describe('the contract the API and the web app share', () => {
  it.each([
    ['2026-11-20', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['0050-01-01', false],
    [' 2026-11-20', false],
    [20261120, false],
  ])('%j is a calendar date: %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('lists the months of a period, across a new year', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(addMonths('2026-03', -11)).toBe('2025-04');
  });

  it.each([
    ['081 23 45 67', '+3281234567', '+32 81 23 45 67'],
    ['0470/12.34.56', '+32470123456', '+32 470 12 34 56'],
    ['+32 2 123 45 67', '+3221234567', '+32 2 123 45 67'],
    ['0032 4 223 45 67', '+3242234567', '+32 4 223 45 67'],
    ['(083) 21-23-45', '+3283212345', '+32 83 21 23 45'],
  ])('%j is a Belgian phone number, kept as %s and shown as %s', (typed, kept, shown) => {
    expect(belgianPhoneNumber(typed)).toBe(kept);
    expect(formattedBelgianPhone(kept)).toBe(shown);
  });

  it.each(['12345', '+33 1 23 45 67 89', '0800 12 34 56 7', '081 23 45 678', 'O81234567', ''])(
    '%j is not a Belgian phone number',
    (typed) => {
      expect(belgianPhoneNumber(typed)).toBeUndefined();
    },
  );
});
