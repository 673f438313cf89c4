import { belgianPublicHolidays } from '@relais/calendar';

describe('belgianPublicHolidays', () => {
  it('holds the ten national public holidays and no observance', () => {
    expect([...belgianPublicHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-07-21',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('is computed once per year', () => {
    expect(belgianPublicHolidays(2027)).toBe(belgianPublicHolidays(2027));
  });
});
