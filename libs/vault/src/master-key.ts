import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
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

/** A key kept in a file of its own, such as a mounted secret; the error names the file, never its content. */
export async function readMasterKeyFile(file: string): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidMasterKeyError(
      `the file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return masterKeyFrom(text);
}

export class MasterKeyConflictError extends Error {
  constructor(from: string, to: string) {
    super(
      `Two different vault master keys: ${from} and ${to}; keep the one that opens the vault, remove the other`,
    );
    this.name = 'MasterKeyConflictError';
  }
}

/**
 * Moves a key file made by an earlier version (in the data folder) to where it now belongs, once:
 * hard-linked into place, then unlinked, so that several processes starting at once all end up
 * with the one key; copied where the two folders are on different file systems.
 */
export async function moveMasterKey(from: string, to: string): Promise<void> {
  let old: Buffer;
  try {
    old = masterKeyFrom(await readFile(from, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  await link(from, to).catch((error: NodeJS.ErrnoException) =>
    error.code === 'EXDEV' ? linkCopy(from, to) : ignoreExisting(error),
  );
  if (!masterKeyFrom(await readFile(to, 'utf8')).equals(old)) {
    throw new MasterKeyConflictError(from, to);
  }
  await unlink(from).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

async function linkCopy(from: string, to: string): Promise<void> {
  const temporary = `${to}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await copyFile(from, temporary);
    await link(temporary, to).catch(ignoreExisting);
  } finally {
    await rm(temporary, { force: true });
  }
}

function ignoreExisting(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}

/**
 * For the embedded default, where the key lives in the keyring's folder. The new key is written to a
 * temporary file and hard-linked into place, so processes starting together settle on one key
 * and none can read a half-written file.
 */
export async function loadOrCreateMasterKey(file: string): Promise<Buffer> {
  try {
    return masterKeyFrom(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    await link(temporary, file).catch(ignoreExisting);
  } finally {
    await rm(temporary, { force: true });
  }
  return masterKeyFrom(await readFile(file, 'utf8'));
}
