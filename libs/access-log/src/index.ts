export * from './access-chain';
export * from './access-log';
export * from './access-log.migrations';
export * from './access-purpose';
export * from './access-record';
