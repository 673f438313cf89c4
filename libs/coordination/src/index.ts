// The coordination sociale: its member services, bodies, meetings and minutes, and the political
// officials the minutes go to. Services, never families: this module imports nothing of cases or
// the vault (eslint.config.mjs), and its free texts refuse a case reference or a national number.
// The files at this level are pure; projection/ and distribution/ are their adapters.
export * from './coordination';
export * from './member-service';
export * from './body';
export * from './meeting';
export * from './political-officials';
export * from './minutes-distribution';
export * from './hsds';
export * from './projection/coordination.migrations';
export * from './projection/coordination.projection';
export * from './projection/coordination.queries';
export * from './distribution/minutes-distribution.processor';
