export * from './app.module';
export * from './bootstrap';
export * from './health.controller';
export * from './migrations';
