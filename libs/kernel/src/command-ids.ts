import { uuidFromName } from './ids';

/** What a command's event ids derive from: the same for a retry, different for a new command. */
export interface CommandBasis {
  /** The stream the command appends to. */
  readonly stream: string;
  /** Who asks: a staff member's or an organisation's id. */
  readonly actor: string;
  /** The caller's `Idempotency-Key`: a retry under it gets the same ids whatever happened since. */
  readonly idempotencyKey?: string;
  /** Without a key, what the command asks… */
  readonly content: unknown;
  /** …and the stream version it was decided on: the same command later is a new one. */
  readonly version: number;
}

/**
 * The ids of the events one command appends, one way for every command: from the idempotency key
 * when the caller gave one, else from the command's content and the version it was decided on, so
 * a double submit on the same version appends once. Never random.
 */
export function commandEventIds(basis: CommandBasis, count: number): string[] {
  const root =
    basis.idempotencyKey === undefined
      ? `${basis.actor}:${basis.stream}:v${basis.version}:${canonicalJson(basis.content)}`
      : `${basis.actor}:${basis.stream}:key:${basis.idempotencyKey}`;
  return Array.from({ length: count }, (_, i) => uuidFromName(`${root}:${i}`));
}

/** JSON with every object's keys sorted: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
