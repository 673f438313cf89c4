export * from './compliance.migrations';
export * from './compliance.projection';
export * from './compliance.queries';
export * from './indicators';
export * from './report';
