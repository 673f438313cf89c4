// Every rule about an obligation: what a case event opens, when, for whom, with which data, how
// it is told (e-mail, webhook), when it escalates and is breached. The files at this level are pure
// functions; the engine, the deadline watcher, the delivery recorder and the inbox, each in its
// folder, are the thin adapters that apply them to the store, the database and the clock.
export * from './version-in-force';
export * from './obligations';
export * from './opening';
export * from './reference-network';
export * from './engine/engine.migrations';
export * from './notification-email';
export * from './outbox-entries';
export * from './obligation-stream';
// The adapters: where the rules meet the store, the database and the clock.
export * from './engine/protocol-engine.processor';
export * from './deadlines/deadline-watcher';
export * from './delivery/delivery.service';
export * from './inbox/inbox';
