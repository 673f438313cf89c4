import { InvalidDateError, InvalidWorkingDaysError, WorkingCalendar } from '@relais/calendar';

const cpas = new WorkingCalendar({ fwbService: false, closureDays: [] });
const saj = new WorkingCalendar({ fwbService: true, closureDays: [] });

describe('WorkingCalendar', () => {
  describe('weekends and Belgian public holidays', () => {
    it.each([
      ['2026-11-21', 'a Saturday'],
      ['2026-11-22', 'a Sunday'],
      ['2026-01-01', "New Year's Day"],
      ['2026-04-06', 'Easter Monday'],
      ['2026-05-01', 'Labour Day'],
      ['2026-05-14', 'Ascension'],
      ['2026-05-25', 'Whit Monday'],
      ['2026-07-21', 'the National Day (Tuesday)'],
      ['2026-11-11', 'Armistice (Wednesday)'],
      ['2026-12-25', 'Christmas'],
    ])('%s (%s) is not a working day', (date) => {
      expect(cpas.isWorkingDay(date)).toBe(false);
      expect(saj.isWorkingDay(date)).toBe(false);
    });

    it.each([
      ['2026-05-15', 'the Friday after Ascension'],
      ['2025-12-26', "St Stephen's Day, not a Belgian public holiday"],
      ['2026-11-02', 'All Souls, an observance'],
      ['2027-11-15', 'the Fête du Roi on a Monday, an observance'],
      ['2027-12-06', 'Saint-Nicolas on a Monday, an observance'],
    ])('%s (%s) is a working day', (date) => {
      expect(cpas.isWorkingDay(date)).toBe(true);
      expect(saj.isWorkingDay(date)).toBe(true);
    });

    it('carries a deadline from Christmas Eve across 25 December and 1 January', () => {
      expect(cpas.addWorkingDays('2025-12-24', 5)).toBe('2026-01-02');
      expect(cpas.workingDaysBetween('2025-12-24', '2026-01-02')).toBe(5);
    });

    it.each([
      ['2026-04-03', '2026-04-07', 'Easter Monday'],
      ['2026-05-13', '2026-05-15', 'Ascension'],
      ['2026-05-22', '2026-05-26', 'Whit Monday'],
      ['2026-07-20', '2026-07-22', '21 July'],
      ['2026-11-10', '2026-11-12', '11 November'],
    ])('the working day after %s is %s, skipping %s', (date, next) => {
      expect(cpas.addWorkingDays(date, 1)).toBe(next);
      expect(cpas.nextWorkingDay(date)).toBe(next);
    });
  });

  describe('27 September, Fête de la Fédération Wallonie-Bruxelles', () => {
    it('is a day off for an FWB service but a working day for a CPAS (Friday 2024-09-27)', () => {
      expect(saj.isWorkingDay('2024-09-27')).toBe(false);
      expect(cpas.isWorkingDay('2024-09-27')).toBe(true);
      expect(saj.addWorkingDays('2024-09-26', 1)).toBe('2024-09-30');
      expect(cpas.addWorkingDays('2024-09-26', 1)).toBe('2024-09-27');
    });

    it('is counted once for an FWB service', () => {
      expect(saj.workingDaysBetween('2024-09-26', '2024-09-30')).toBe(1);
      expect(cpas.workingDaysBetween('2024-09-26', '2024-09-30')).toBe(2);
    });

    it('changes nothing when it falls on a weekend (2025 Saturday, 2026 Sunday)', () => {
      expect(saj.addWorkingDays('2025-09-26', 1)).toBe('2025-09-29');
      expect(cpas.addWorkingDays('2025-09-26', 1)).toBe('2025-09-29');
      expect(saj.addWorkingDays('2026-09-25', 1)).toBe('2026-09-28');
      expect(cpas.addWorkingDays('2026-09-25', 1)).toBe('2026-09-28');
    });
  });

  describe("an organisation's closure days", () => {
    const closedOnBridgeDay = new WorkingCalendar({
      fwbService: false,
      closureDays: ['2026-05-15', '2026-12-24'],
    });

    it('are not working days for that organisation only', () => {
      expect(closedOnBridgeDay.isWorkingDay('2026-05-15')).toBe(false);
      expect(cpas.isWorkingDay('2026-05-15')).toBe(true);
    });

    it('push a deadline past the bridge after Ascension', () => {
      expect(closedOnBridgeDay.addWorkingDays('2026-05-13', 1)).toBe('2026-05-18');
      expect(closedOnBridgeDay.addWorkingDays('2026-12-23', 1)).toBe('2026-12-28');
    });

    it('reject a closure day that is not a calendar date', () => {
      expect(() => new WorkingCalendar({ fwbService: false, closureDays: ['2026-5-15'] })).toThrow(
        InvalidDateError,
      );
    });
  });

  describe('addWorkingDays', () => {
    it('counts from the first working day after an event on a Saturday', () => {
      expect(cpas.addWorkingDays('2026-11-21', 5)).toBe('2026-11-27');
      expect(cpas.addWorkingDays('2026-11-22', 5)).toBe('2026-11-27');
      expect(cpas.addWorkingDays('2026-11-20', 5)).toBe('2026-11-27');
    });

    it('returns the date itself for 0 on a working day, else the next working day', () => {
      expect(cpas.addWorkingDays('2026-11-20', 0)).toBe('2026-11-20');
      expect(cpas.addWorkingDays('2026-11-21', 0)).toBe('2026-11-23');
      expect(cpas.addWorkingDays('2026-12-25', 0)).toBe('2026-12-28');
    });

    it('crosses the end of a year', () => {
      expect(cpas.addWorkingDays('2026-12-30', 2)).toBe('2027-01-04');
    });

    it.each([-1, 1.5, Number.NaN])('refuses %p working days', (n) => {
      expect(() => cpas.addWorkingDays('2026-11-20', n)).toThrow(InvalidWorkingDaysError);
    });

    it.each(['2025-12-24', '2026-04-02', '2026-11-21', '2024-09-25'])(
      'is undone by workingDaysBetween from %s',
      (date) => {
        for (const n of [1, 2, 5, 10, 30]) {
          expect(saj.workingDaysBetween(date, saj.addWorkingDays(date, n))).toBe(n);
        }
      },
    );
  });

  describe('previousWorkingDay', () => {
    it('steps back over weekends and holidays, and over 27 September for an FWB service only', () => {
      expect(cpas.previousWorkingDay('2026-11-23')).toBe('2026-11-20'); // Monday -> Friday
      expect(cpas.previousWorkingDay('2026-11-12')).toBe('2026-11-10'); // over Armistice
      expect(cpas.previousWorkingDay('2024-09-30')).toBe('2024-09-27');
      expect(saj.previousWorkingDay('2024-09-30')).toBe('2024-09-26');
    });
  });

  describe('workingDaysBetween', () => {
    it.each([
      ['2026-11-20', '2026-11-20', 0],
      ['2026-11-20', '2026-11-23', 1],
      ['2026-11-21', '2026-11-22', 0],
      ['2026-11-22', '2026-11-21', 0],
      ['2026-11-21', '2026-11-23', 1],
      ['2026-11-16', '2026-11-20', 4],
      ['2026-04-03', '2026-04-07', 1],
    ])('from %s to %s is %i, and the opposite backwards', (from, to, days) => {
      expect(cpas.workingDaysBetween(from, to)).toBe(days);
      expect(cpas.workingDaysBetween(to, from)).toBe(0 - days);
    });
  });

  describe('deadlines', () => {
    it('an immediate deadline is due the day the event occurred, even on a Saturday', () => {
      expect(cpas.dueDate('2026-11-21', 'immediate')).toBe('2026-11-21');
      expect(cpas.dueAt('2026-11-21', 'immediate')).toEqual(new Date('2026-11-21T22:59:59.999Z'));
    });

    it('a deadline in working days expires at the end of its due date in Brussels', () => {
      expect(cpas.dueDate('2026-03-27', 1)).toBe('2026-03-30');
      expect(cpas.dueAt('2026-03-27', 1)).toEqual(new Date('2026-03-30T21:59:59.999Z'));
    });

    it('rejects an invalid occurrence date for an immediate deadline', () => {
      expect(() => cpas.dueDate('2026-02-29', 'immediate')).toThrow(InvalidDateError);
    });

    it('an obligation is at risk when due today or on the next working day, until it is overdue', () => {
      expect(cpas.isAtRisk('2026-11-23', '2026-11-19')).toBe(false);
      expect(cpas.isAtRisk('2026-11-23', '2026-11-20')).toBe(true);
      expect(cpas.isAtRisk('2026-11-23', '2026-11-23')).toBe(true);
      expect(cpas.isAtRisk('2026-11-23', '2026-11-24')).toBe(false);
    });
  });

  it.each(['2026-02-30', '2026-13-01', '2026-2-3', '26-11-20', '', '2026-11-20T00:00:00Z'])(
    'rejects %p as a date',
    (date) => {
      expect(() => cpas.isWorkingDay(date)).toThrow(InvalidDateError);
      expect(() => cpas.workingDaysBetween('2026-11-20', date)).toThrow(InvalidDateError);
    },
  );

  it('accepts 29 February in a leap year', () => {
    expect(cpas.isWorkingDay('2028-02-29')).toBe(true);
  });
});
