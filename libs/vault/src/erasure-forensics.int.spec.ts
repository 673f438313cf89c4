import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { migrate } from '@relais/database';
import { EmbeddedCluster, startEmbeddedCluster } from '../../../test/support/embedded-cluster';
import { clusterFiles, recoverDataKeys as recoverFrom } from '../../../test/support/forensics';
import { createTestDatabase } from '../../../test/support/postgres';
import { open, unpack } from './aes-gcm';
import { PersonalData } from './personal-data';
import { SubjectVault } from './subject-vault';
import { VaultKeyring } from './vault-keyring';
import { vaultMigrations } from './vault.migrations';

jest.setTimeout(120_000);

const zenobie: PersonalData = {
  firstName: 'Zénobie',
  lastName: 'Vandersmissen',
  birthDate: '2000-01-01',
  niss: '00010100105',
  address: { street: 'Rue des Tanneurs 7', postalCode: '5500', municipality: 'Dinant' },
};
const lucas: PersonalData = { firstName: 'Lucas', lastName: 'Peeters' };

interface Captured {
  readonly wrappedKey: Buffer;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly authTag: Buffer;
}

/**
 * The audit's attack, run as it was found: a copy of the PostgreSQL data folder (heap files and
 * WAL) taken after an erasure, and every key that still exists — the master key and each epoch
 * file left in the keyring.
 */
async function recoverDataKeys(
  clusterDir: string,
  subjectId: string,
  keys: readonly Buffer[],
): Promise<{ files: Buffer[]; dataKeys: Buffer[] }> {
  const files = await clusterFiles(clusterDir);
  return { files, dataKeys: recoverFrom(files, subjectId, keys) };
}

describe('an erasure, against a copy of the data folder taken after it', () => {
  let root: string;
  let server: EmbeddedCluster;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'relais-forensics-'));
    await chmod(root, 0o755); // the server runs as the postgres user when the tests run as root
    server = await startEmbeddedCluster(join(root, 'data'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function aVault(name: string) {
    const { url } = await createTestDatabase({ name: 'embedded', adminUrl: server.url });
    const pool = new Pool({ connectionString: url });
    await migrate(pool, vaultMigrations);
    const masterKey = randomBytes(32);
    const keyring = new VaultKeyring(join(root, `${name}-keys`), masterKey);
    return { pool, masterKey, keyring, vault: new SubjectVault(pool, keyring) };
  }

  async function capture(pool: Pool, subjectId: string): Promise<Captured> {
    const { rows } = await pool.query<{
      wrapped_key: Buffer;
      iv: Buffer;
      ciphertext: Buffer;
      auth_tag: Buffer;
    }>(
      `select wrapped_key, iv, ciphertext, auth_tag
       from subject_keys join subject_data using (subject_id) where subject_id = $1`,
      [subjectId],
    );
    const row = rows[0]!;
    return {
      wrappedKey: row.wrapped_key,
      iv: row.iv,
      ciphertext: row.ciphertext,
      authTag: row.auth_tag,
    };
  }

  /** Every key that exists after the erasure: the master key, and each epoch file still there. */
  async function everyKeyLeft(pool: Pool, folder: string, masterKey: Buffer): Promise<Buffer[]> {
    const { rows } = await pool.query<{ vault_id: string }>('select vault_id from vault_epoch');
    const vaultId = rows[0]!.vault_id;
    const keyring = new VaultKeyring(folder, masterKey);
    const left = await keyring.epochs(vaultId);
    const epochKeys = await Promise.all(left.map((epoch) => keyring.epochKey(vaultId, epoch)));
    return [masterKey, ...epochKeys.filter((key): key is Buffer => key !== undefined)];
  }

  function decrypt(dataKey: Buffer, captured: Captured, subjectId: string): PersonalData {
    const plaintext = open(dataKey, captured, Buffer.from(subjectId));
    return JSON.parse(plaintext.toString('utf8')) as PersonalData;
  }

  async function checkpoint(pool: Pool): Promise<void> {
    await pool.query('checkpoint');
  }

  it('leaves its bytes on disk, but no key that opens them', async () => {
    const { pool, masterKey, keyring, vault } = await aVault('erasure');
    try {
      const erased = await vault.register({ ...zenobie, firstName: 'Zénobia' });
      const kept = await vault.register(lucas);
      await vault.rotate(); // a scheduled rotation: the erased key has a history of epochs
      await vault.update(erased, zenobie);
      const captured = await capture(pool, erased);

      await vault.erase(erased);
      await checkpoint(pool);

      const keys = await everyKeyLeft(pool, keyring.folder, masterKey);
      const { files, dataKeys } = await recoverDataKeys(server.clusterDir, erased, keys);
      const onDisk = (bytes: Buffer) => files.some((file) => file.includes(bytes));
      // (a) what the erasure could not remove is still there to be found
      expect(onDisk(captured.wrappedKey)).toBe(true);
      expect(onDisk(captured.ciphertext)).toBe(true);
      // (b) and nothing that still exists opens it
      expect(dataKeys).toEqual([]);
      for (const key of keys) {
        expect(() => open(key, unpack(captured.wrappedKey), Buffer.from(erased))).toThrow();
      }
      expect(keys).toHaveLength(2); // the master key and the one epoch left
      for (const secret of ['Zénobie', 'Vandersmissen', '00010100105', 'Rue des Tanneurs']) {
        expect(onDisk(Buffer.from(secret))).toBe(false);
      }
      // (c) while the survivor reads on, in a process that starts afresh
      const restarted = new SubjectVault(pool, new VaultKeyring(keyring.folder, masterKey));
      expect(await restarted.read(kept)).toEqual({ subjectId: kept, erased: false, data: lucas });
      expect(await restarted.read(erased)).toEqual({ subjectId: erased, erased: true });
    } finally {
      await pool.end();
    }
  });

  it('is recovered, with the keys left, when the key row is only deleted (the former erasure)', async () => {
    const { pool, masterKey, keyring, vault } = await aVault('control');
    try {
      const erased = await vault.register(zenobie);
      await vault.register(lucas);
      const captured = await capture(pool, erased);

      await pool.query('delete from subject_keys where subject_id = $1', [erased]);
      await checkpoint(pool);
      expect(await vault.read(erased)).toEqual({ subjectId: erased, erased: true });

      const keys = await everyKeyLeft(pool, keyring.folder, masterKey);
      const { files, dataKeys } = await recoverDataKeys(server.clusterDir, erased, keys);
      expect(files.some((file) => file.includes(captured.ciphertext))).toBe(true);
      expect(dataKeys.length).toBeGreaterThan(0);
      expect(decrypt(dataKeys[0]!, captured, erased)).toEqual(zenobie);
    } finally {
      await pool.end();
    }
  });
});
