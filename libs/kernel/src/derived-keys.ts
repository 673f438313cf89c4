import { hkdfSync } from 'node:crypto';

/**
 * A 32-byte key for one use, derived (HKDF-SHA-256) from the vault's master key and a label that
 * names the use: no two uses share a key, and none of them reveals the master key.
 */
export function derivedKey(masterKey: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), label, 32));
}
