import { createCipheriv, createDecipheriv, KeyObject, randomBytes } from 'node:crypto';

export interface Sealed {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly authTag: Buffer;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A fresh random IV each time: with one key per subject, GCM's IV limit is never approached. */
export function seal(key: KeyObject | Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, authTag: cipher.getAuthTag() };
}

/** Throws when the key, the AAD or any stored byte differs from what was sealed. */
export function open(key: KeyObject | Buffer, sealed: Sealed, aad: Buffer): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.authTag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

/** A wrapped key is stored as one value: iv, then tag, then ciphertext. */
export function pack(sealed: Sealed): Buffer {
  return Buffer.concat([sealed.iv, sealed.authTag, sealed.ciphertext]);
}

export function unpack(packed: Buffer): Sealed {
  return {
    iv: packed.subarray(0, IV_BYTES),
    authTag: packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    ciphertext: packed.subarray(IV_BYTES + TAG_BYTES),
  };
}
