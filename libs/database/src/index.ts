export * from './database';
export * from './embedded-postgres';
export * from './migrations';
export * from './database.module';
export * from './unavailable';
