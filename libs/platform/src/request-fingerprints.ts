import { createHmac } from 'node:crypto';
import { derivedKey } from '@relais/kernel';

/** JSON with every object's keys sorted: the same value always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What a request asked for, as a keyed hash kept in its events' metadata: a retry under the same
 * `Idempotency-Key` is recognised as the same request, another body under it is refused. Keyed
 * (HMAC with a key derived from the vault's master key), so a fingerprint of a family's names
 * cannot be tested against guesses by whoever reads the store.
 */
export class RequestFingerprints {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = derivedKey(masterKey, 'relais:request-fingerprint');
  }

  of(request: unknown): string {
    return createHmac('sha256', this.key).update(canonical(request)).digest('base64url');
  }
}
