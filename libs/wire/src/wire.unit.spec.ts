import { addMonths, isCalendarDate, monthsBetween } from './index';

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
});
