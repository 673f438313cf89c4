// Every rule about an obligation: what a case event opens, when, for whom, with which data, how
// it is told (e-mail, webhook), when it escalates and is breached. Pure functions; the worker's
// engine, deadline watcher and delivery recorder are thin adapters over them.
export * from './version-in-force';
export * from './obligations';
export * from './opening';
export * from './reference-network';
export * from './engine.migrations';
export * from './notification-email';
export * from './outbox-entries';
export * from './obligation-stream';
