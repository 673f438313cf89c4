import { formatIsoDate, formatMonth, formatTimestamp, isIsoDate, parseTypedDate } from './dates';

describe('dates as Belgians type and read them', () => {
  it.each([
    ['20/11/2026', '2026-11-20'],
    ['2/3/2026', '2026-03-02'],
    ['20-11-2026', '2026-11-20'],
    [' 20.11.2026 ', '2026-11-20'],
    ['2026-11-20', '2026-11-20'],
    ['29/02/2028', '2028-02-29'],
  ])('reads %j as %s', (typed, iso) => {
    expect(parseTypedDate(typed)).toBe(iso);
  });

  it.each(['31/02/2026', '29/02/2026', '2026-13-01', '11/20/2026', '20/11/26', 'demain', ''])(
    'refuses %j',
    (typed) => {
      expect(parseTypedDate(typed)).toBeUndefined();
    },
  );

  it('writes ISO dates as dd/mm/yyyy, and months as mm/yyyy', () => {
    expect(formatIsoDate('2026-11-20')).toBe('20/11/2026');
    expect(formatMonth('2026-03')).toBe('03/2026');
    expect(isIsoDate('2026-02-30')).toBe(false);
  });

  it('writes instants in Brussels time, summer and winter', () => {
    expect(formatTimestamp('2026-11-20T09:05:00Z')).toBe('20/11/2026 10:05');
    expect(formatTimestamp('2026-07-01T22:30:00Z')).toBe('02/07/2026 00:30');
  });
});
