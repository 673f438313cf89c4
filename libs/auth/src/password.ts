import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

interface ScryptParameters {
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
}

const DEFAULTS: ScryptParameters = { cost: 16384, blockSize: 8, parallelization: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = 'scrypt';
// Bounds keep a tampered or absurd stored hash from exhausting memory or CPU.
const MAX_COST = 2 ** 17;
const MAX_BLOCK_SIZE = 16;
const MAX_PARALLELIZATION = 16;
const DUMMY_SALT = Buffer.alloc(SALT_BYTES, 0x5a);

function derive(
  plain: string,
  salt: Buffer,
  keyLength: number,
  { cost, blockSize, parallelization }: ScryptParameters,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      plain.normalize('NFKC'),
      salt,
      keyLength,
      { N: cost, r: blockSize, p: parallelization, maxmem: 256 * cost * blockSize },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$saltBase64$hashBase64`: the parameters travel with the hash. */
export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(plain, salt, KEY_BYTES, DEFAULTS);
  const { cost, blockSize, parallelization } = DEFAULTS;
  return [
    PREFIX,
    cost,
    blockSize,
    parallelization,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/**
 * True when `plain` matches `stored`. A malformed hash never matches. Pass `undefined` for an
 * unknown account: the same work is done, so the answer time does not reveal which emails exist.
 */
export async function verifyPassword(plain: string, stored: string | undefined): Promise<boolean> {
  if (stored === undefined) {
    await derive(plain, DUMMY_SALT, KEY_BYTES, DEFAULTS);
    return false;
  }
  const parsed = parseStoredHash(stored);
  if (parsed === undefined) return false;
  const key = await derive(plain, parsed.salt, parsed.key.length, parsed.parameters);
  return timingSafeEqual(key, parsed.key);
}

interface StoredHash {
  readonly parameters: ScryptParameters;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parseStoredHash(stored: string): StoredHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6) return undefined;
  const [prefix, n, r, p, salt, key] = parts;
  if (prefix !== PREFIX) return undefined;
  const cost = wholeNumber(n, 2, MAX_COST);
  const blockSize = wholeNumber(r, 1, MAX_BLOCK_SIZE);
  const parallelization = wholeNumber(p, 1, MAX_PARALLELIZATION);
  if (cost === undefined || blockSize === undefined || parallelization === undefined) {
    return undefined;
  }
  if ((cost & (cost - 1)) !== 0) return undefined;
  const saltBytes = base64(salt);
  const keyBytes = base64(key);
  if (saltBytes === undefined || saltBytes.length < SALT_BYTES) return undefined;
  if (keyBytes === undefined || keyBytes.length < 16 || keyBytes.length > 64) return undefined;
  return { parameters: { cost, blockSize, parallelization }, salt: saltBytes, key: keyBytes };
}

function wholeNumber(raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || !/^\d{1,7}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

function base64(raw: string | undefined): Buffer | undefined {
  if (raw === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) return undefined;
  const bytes = Buffer.from(raw, 'base64');
  return bytes.toString('base64') === raw ? bytes : undefined;
}
