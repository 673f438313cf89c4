export * from './access-logging';
export * from './app.module';
export * from './bootstrap';
export * from './health.controller';
export * from './metrics.controller';
export * from './json-logger';
export * from './migrations';
export * from './problem-details.filter';
/** The calendar date in Belgium at an instant: one implementation, the calendar's. */
export { brusselsDate } from '@relais/calendar';
export * from '@relais/kernel';
export * from './secrets';
export * from './security.module';
export * from './request-fingerprints';
export * from './calendar-date';
export * from './input-inspection';
export * from './parameter-characters.pipe';
export * from './request-body';
export * from './response-headers';
