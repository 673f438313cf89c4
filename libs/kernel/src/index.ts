// The small kernel every library may import: no Nest, no database, nothing of Relais's own.
export * from './ids';
export * from './command-ids';
export * from './derived-keys';
export * from './clock';
export * from './polling';
export * from './iso-date';
export * from './tracing';
export * from './log-context';
