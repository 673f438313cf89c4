import { randomBytes } from 'node:crypto';
import { mkdir, open as openFile, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { open, pack, seal, unpack } from './aes-gcm';
import { InvalidMasterKeyError, MASTER_KEY_BYTES } from './master-key';

const EPOCH_KEY_BYTES = 32;
const EPOCH_FILE = /^epoch-(\d+)\.key$/;

/** The file is there but this master key does not open it: another key, or altered bytes. */
export class KeyEpochUnreadableError extends Error {
  constructor(
    readonly vaultId: string,
    readonly epoch: number,
  ) {
    super(`Key epoch ${epoch} of vault ${vaultId} cannot be opened with this master key`);
    this.name = 'KeyEpochUnreadableError';
  }
}

/**
 * The destroyable half of the vault's keys, kept in files outside PostgreSQL: one file per key
 * epoch, holding the epoch key sealed by the master key, under a folder per vault so that two
 * databases never share an epoch. A copy of the database alone, or of the keyring alone, opens
 * nothing; once an epoch's file is destroyed, nothing wrapped under it opens again, whatever
 * copies of the database's pages, WAL or backups still hold.
 */
export class VaultKeyring {
  /** Keyed `<vault id>/<epoch>`; dropped once a later epoch is seen, never zeroed under a user. */
  private readonly cache = new Map<string, Buffer>();

  constructor(
    readonly folder: string,
    readonly masterKey: Buffer,
  ) {
    if (masterKey.length !== MASTER_KEY_BYTES) {
      throw new InvalidMasterKeyError(`it is ${masterKey.length} bytes`);
    }
  }

  /** Undefined when the epoch's file is gone: destroyed by a rotation, or never in this folder. */
  async epochKey(vaultId: string, epoch: number): Promise<Buffer | undefined> {
    const cached = this.cache.get(`${vaultId}/${epoch}`);
    if (cached !== undefined) return cached;
    let sealed: Buffer;
    try {
      sealed = await readFile(this.file(vaultId, epoch));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let key: Buffer;
    try {
      key = open(this.masterKey, unpack(sealed), aad(vaultId, epoch));
    } catch {
      throw new KeyEpochUnreadableError(vaultId, epoch);
    }
    this.remember(vaultId, epoch, key);
    return key;
  }

  /** Written and flushed to disk before any subject key is wrapped under it. */
  async createEpoch(vaultId: string, epoch: number): Promise<Buffer> {
    const folder = join(this.folder, vaultId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const key = randomBytes(EPOCH_KEY_BYTES);
    const file = await openFile(this.file(vaultId, epoch), 'wx', 0o600);
    try {
      await file.writeFile(pack(seal(this.masterKey, key, aad(vaultId, epoch))));
      await file.sync();
    } finally {
      await file.close();
    }
    await syncFolder(folder);
    await syncFolder(this.folder);
    this.remember(vaultId, epoch, key);
    return key;
  }

  /** The epochs whose files are in the folder, in order. */
  async epochs(vaultId: string): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(join(this.folder, vaultId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => EPOCH_FILE.exec(name)?.[1])
      .filter((epoch): epoch is string => epoch !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /**
   * Overwrites each file with zeros, flushes it, then unlinks it. On a copy-on-write or
   * wear-levelled disk the old blocks may survive the overwrite; they hold the epoch key sealed
   * by the master key, never in clear.
   */
  async destroyEpochsBefore(vaultId: string, epoch: number): Promise<number[]> {
    const doomed = (await this.epochs(vaultId)).filter((old) => old < epoch);
    for (const old of doomed) {
      this.cache.delete(`${vaultId}/${old}`);
      await destroy(this.file(vaultId, old));
    }
    if (doomed.length > 0) await syncFolder(join(this.folder, vaultId));
    return doomed;
  }

  private remember(vaultId: string, epoch: number, key: Buffer): void {
    for (const name of this.cache.keys()) {
      const [cachedVault, cachedEpoch] = name.split('/');
      if (cachedVault === vaultId && Number(cachedEpoch) < epoch) this.cache.delete(name);
    }
    this.cache.set(`${vaultId}/${epoch}`, key);
  }

  private file(vaultId: string, epoch: number): string {
    return join(this.folder, vaultId, `epoch-${epoch}.key`);
  }
}

/** The epoch key is bound to its vault and number: a file renamed or moved does not open. */
function aad(vaultId: string, epoch: number): Buffer {
  return Buffer.from(`relais:vault-epoch:${vaultId}:${epoch}`);
}

async function destroy(path: string): Promise<void> {
  let file;
  try {
    file = await openFile(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another process was first
    throw error;
  }
  try {
    const { size } = await file.stat();
    await file.write(Buffer.alloc(size), 0, size, 0);
    await file.sync();
  } finally {
    await file.close();
  }
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

async function syncFolder(path: string): Promise<void> {
  const folder = await openFile(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
