import { brusselsDate, endOfDayInBrussels, InvalidDateError } from '@relais/calendar';

describe('Brussels time', () => {
  it.each([
    ['2026-03-28', '2026-03-28T22:59:59.999Z'],
    ['2026-03-29', '2026-03-29T21:59:59.999Z'],
    ['2026-07-21', '2026-07-21T21:59:59.999Z'],
    ['2026-10-24', '2026-10-24T21:59:59.999Z'],
    ['2026-10-25', '2026-10-25T22:59:59.999Z'],
    ['2026-12-31', '2026-12-31T22:59:59.999Z'],
  ])('the day %s ends in Brussels at %s', (date, instant) => {
    expect(endOfDayInBrussels(date)).toEqual(new Date(instant));
  });

  it.each([
    ['2026-03-28T22:59:59.999Z', '2026-03-28'],
    ['2026-03-28T23:00:00.000Z', '2026-03-29'],
    ['2026-03-29T21:59:59.999Z', '2026-03-29'],
    ['2026-03-29T22:00:00.000Z', '2026-03-30'],
    ['2026-10-25T00:30:00.000Z', '2026-10-25'],
    ['2026-10-25T22:59:59.999Z', '2026-10-25'],
    ['2026-10-25T23:00:00.000Z', '2026-10-26'],
    ['2026-12-31T23:30:00.000Z', '2027-01-01'],
  ])('the instant %s falls on %s in Brussels', (instant, date) => {
    expect(brusselsDate(new Date(instant))).toBe(date);
  });

  it('the end of a day is its last instant', () => {
    for (const date of ['2026-03-29', '2026-10-25', '2026-06-15']) {
      const end = endOfDayInBrussels(date);
      expect(brusselsDate(end)).toBe(date);
      expect(brusselsDate(new Date(end.getTime() + 1))).not.toBe(date);
    }
  });

  it('rejects invalid input', () => {
    expect(() => brusselsDate(new Date('not a date'))).toThrow(InvalidDateError);
    expect(() => endOfDayInBrussels('2026-10-32')).toThrow(InvalidDateError);
  });
});
