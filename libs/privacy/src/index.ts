export * from './erasures';
export * from './privacy.migrations';
export * from './retention';
