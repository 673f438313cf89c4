import { createHash } from 'node:crypto';

const RELAIS_NAMESPACE = Buffer.from('6f1d3b9e8a4c4f0e9b2a7c5d1e3f4a6b', 'hex');

/**
 * A name-based UUID (version 5): the same name always gives the same id. Event ids derive from a
 * command's idempotency key this way, so a retried command appends nothing new.
 */
export function uuidFromName(name: string): string {
  const hash = createHash('sha1').update(RELAIS_NAMESPACE).update(name).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
