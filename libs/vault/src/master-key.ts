import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const MASTER_KEY_BYTES = 32;

export class InvalidMasterKeyError extends Error {
  constructor(problem: string) {
    super(
      `Invalid vault master key: ${problem}; it must be ${MASTER_KEY_BYTES} random bytes in base64 (openssl rand -base64 ${MASTER_KEY_BYTES})`,
    );
    this.name = 'InvalidMasterKeyError';
  }
}

/** The error never repeats the value: it may be a real key with a typo. */
export function masterKeyFrom(value: string): Buffer {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new InvalidMasterKeyError('it is not base64');
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== MASTER_KEY_BYTES) {
    throw new InvalidMasterKeyError(`it decodes to ${key.length} bytes`);
  }
  return key;
}

/**
 * For the embedded default, where the key lives in the data folder. The new key is written to a
 * temporary file and hard-linked into place, so processes starting together settle on one key
 * and none can read a half-written file.
 */
export async function loadOrCreateMasterKey(file: string): Promise<Buffer> {
  try {
    return masterKeyFrom(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(temporary, { force: true });
  }
  return masterKeyFrom(await readFile(file, 'utf8'));
}
