/** SQLSTATE classes and codes that say the server is not there to answer, not that a query is wrong. */
const UNAVAILABLE_SQLSTATES: readonly RegExp[] = [
  /^08/, // connection_exception and its subclasses
  /^57P0[1-3]$/, // admin_shutdown, crash_shutdown, cannot_connect_now
  /^53300$/, // too_many_connections
];

/** How Node reports a server it cannot reach or that went away mid-conversation. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What `pg` and `pg-pool` throw, with no code, when a connection cannot be had or is lost. */
const UNAVAILABLE_MESSAGES: readonly RegExp[] = [
  /^timeout exceeded when trying to connect$/i,
  /^Connection terminated/i,
  /^Client has encountered a connection error and is not queryable$/i,
  /^Client was closed and is not queryable$/i,
];

/**
 * True when an error means PostgreSQL cannot be reached now (down, restarting, unreachable, out
 * of connections): the caller may retry later. False for everything a retry would not change.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_SQLSTATES.some((s) => s.test(code));
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message));
}
