export { belgianPublicHolidays } from './belgian-holidays';
export { brusselsDate, endOfDayInBrussels } from './brussels-time';
export { addDays, InvalidDateError } from './iso-date';
export type { IsoDate } from './iso-date';
export { InvalidWorkingDaysError, WorkingCalendar } from './working-calendar';
export type { CalendarProfile, Deadline } from './working-calendar';
