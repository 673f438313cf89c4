export { belgianPublicHolidays } from './belgian-holidays';
export { brusselsDate, endOfDayInBrussels } from './brussels-time';
export { addDays, InvalidDateError } from '@relais/kernel';
export type { IsoDate } from '@relais/kernel';
export { InvalidWorkingDaysError, WorkingCalendar } from './working-calendar';
export type { CalendarProfile, Deadline } from './working-calendar';
