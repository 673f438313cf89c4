/*
 * The contract between the API and the web app: what requests may hold and what answers are. The
 * API's controllers and read models build these types; the web app reads them, and loads this
 * folder as it is (`@relais/wire` in its import map). It imports nothing but itself, so that it
 * compiles for Node and for the browser alike.
 */
export * from './cases.js';
export * from './compliance.js';
export * from './coordination.js';
export * from './dpo.js';
export * from './network.js';
export * from './obligations.js';
export * from './problem.js';
export * from './privacy.js';
export * from './protocols.js';
export * from './vocabulary.js';
export * from './webhooks.js';
export * from './wire-input.js';
