import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { migrate } from '@relais/database';
import { createTestDatabase } from '../../../test/support/postgres';
import { open, pack, seal, unpack } from './aes-gcm';
import { PersonalData } from './personal-data';
import { SubjectDecryptionError, SubjectVault } from './subject-vault';
import { VaultKeyring } from './vault-keyring';
import { vaultMigrations } from './vault.migrations';

function aPerson(overrides: Partial<PersonalData> = {}): PersonalData {
  return { firstName: 'Amina', lastName: 'Benali', niss: '85073003328', ...overrides };
}

const DAY_MS = 24 * 3600 * 1000;

describe('SubjectVault key epochs', () => {
  let pool: Pool;
  let drop: () => Promise<void>;
  let folder: string;
  const masterKey = randomBytes(32);

  /** A process of its own: its own keyring cache and current epoch, the same folder and database. */
  const aProcess = (key = masterKey) => {
    const keyring = new VaultKeyring(folder, key);
    return { keyring, vault: new SubjectVault(pool, keyring) };
  };

  beforeEach(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    pool = new Pool({ connectionString: database.url });
    await migrate(pool, vaultMigrations);
    folder = await mkdtemp(join(tmpdir(), 'relais-keyring-'));
  });
  afterEach(async () => {
    await pool.end();
    await drop();
    await rm(folder, { recursive: true, force: true });
  });

  async function epochRow(): Promise<{ vaultId: string; epoch: number }> {
    const { rows } = await pool.query<{ vault_id: string; epoch: number }>(
      'select vault_id, epoch from vault_epoch',
    );
    return { vaultId: rows[0]!.vault_id, epoch: rows[0]!.epoch };
  }

  async function epochFiles(): Promise<string[]> {
    const { vaultId } = await epochRow();
    return (await readdir(join(folder, vaultId))).sort();
  }

  async function storedKeys(): Promise<Map<string, { epoch: number | null; wrapped: Buffer }>> {
    const { rows } = await pool.query<{
      subject_id: string;
      epoch: number | null;
      wrapped_key: Buffer;
    }>('select subject_id, epoch, wrapped_key from subject_keys');
    return new Map(rows.map((r) => [r.subject_id, { epoch: r.epoch, wrapped: r.wrapped_key }]));
  }

  it('makes the first epoch on first use: a file readable by its owner, sealed by the master key', async () => {
    const { vault } = aProcess();
    const subjectId = await vault.register(aPerson());

    const { vaultId, epoch } = await epochRow();
    expect(epoch).toBe(1);
    expect(await epochFiles()).toEqual(['epoch-1.key']);
    const file = join(folder, vaultId, 'epoch-1.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder, vaultId))).mode & 0o777).toBe(0o700);
    expect((await storedKeys()).get(subjectId)?.epoch).toBe(1);
    await expect(aProcess(randomBytes(32)).vault.read(subjectId)).rejects.toThrow(
      /another master key/,
    );
  });

  it('rotates at each erasure: survivors re-wrapped and readable, the old epoch destroyed', async () => {
    const { vault, keyring } = aProcess();
    const erased = await vault.register(aPerson({ firstName: 'Erased' }));
    const kept = await vault.register(aPerson({ firstName: 'Kept' }));
    const before = await storedKeys();
    const { vaultId } = await epochRow();
    const oldEpochKey = (await keyring.epochKey(vaultId, 1))!;

    await vault.erase(erased);

    expect(await epochRow()).toMatchObject({ epoch: 2 });
    expect(await epochFiles()).toEqual(['epoch-2.key']);
    const after = await storedKeys();
    expect([...after.keys()]).toEqual([kept]);
    expect(after.get(kept)?.epoch).toBe(2);
    expect(after.get(kept)?.wrapped.equals(before.get(kept)!.wrapped)).toBe(false);
    expect(await vault.read(kept)).toMatchObject({ erased: false, data: { firstName: 'Kept' } });
    expect(await aProcess().vault.read(kept)).toMatchObject({ data: { firstName: 'Kept' } });

    // The erased key's bytes, as a copy of the database would still hold them.
    const erasedBytes = unpack(before.get(erased)!.wrapped);
    expect(() => open(oldEpochKey, erasedBytes, Buffer.from(erased))).not.toThrow();
    const survivingKeys = [masterKey, (await aProcess().keyring.epochKey(vaultId, 2))!];
    expect(await aProcess().keyring.epochKey(vaultId, 1)).toBeUndefined();
    for (const key of survivingKeys) {
      expect(() => open(key, erasedBytes, Buffer.from(erased))).toThrow();
    }
    const { rows } = await pool.query<{ n: number }>(
      'select count(*)::int as n from vault_rotations_owed',
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('re-wraps keys from before epochs, sealed by the master key, at the first rotation', async () => {
    const legacy = randomUUID();
    const dataKey = randomBytes(32);
    const sealed = seal(dataKey, Buffer.from(JSON.stringify(aPerson())), Buffer.from(legacy));
    await pool.query('insert into subject_keys (subject_id, wrapped_key) values ($1, $2)', [
      legacy,
      pack(seal(masterKey, dataKey, Buffer.from(legacy))),
    ]);
    await pool.query(
      `insert into subject_data (subject_id, version, iv, ciphertext, auth_tag)
       values ($1, 1, $2, $3, $4)`,
      [legacy, sealed.iv, sealed.ciphertext, sealed.authTag],
    );
    const { vault } = aProcess();
    expect(await vault.read(legacy)).toMatchObject({ erased: false, data: aPerson() });

    const rotation = await vault.rotateIfDue(DAY_MS);

    expect(rotation).toMatchObject({ from: 0, to: 1, rewrapped: 1, unreadable: 0 });
    expect((await storedKeys()).get(legacy)?.epoch).toBe(1);
    expect(await aProcess().vault.read(legacy)).toMatchObject({ data: aPerson() });
  });

  it('loses no subject registered while rotations run in another process', async () => {
    const registering = aProcess();
    const rotating = aProcess();
    await registering.vault.register(aPerson());
    const crossed = jest.spyOn(registering.keyring, 'epochKey');
    const people = Array.from({ length: 120 }, (_, i) => aPerson({ firstName: `P${i}` }));
    const lanes = Array.from({ length: 6 }, (_, lane) => people.slice(lane * 20, lane * 20 + 20));
    let rotations = 0;

    const registered = await Promise.all([
      ...lanes.map(async (lane) => {
        const ids: string[] = [];
        for (const person of lane) ids.push(await registering.vault.register(person));
        return ids;
      }),
      (async () => {
        for (; rotations < 4; rotations++) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          await rotating.vault.rotate();
        }
        return [];
      })(),
    ]);
    const ids = registered.flat();

    // The registering process met new epochs halfway through its registrations.
    expect(crossed.mock.calls.length).toBeGreaterThan(0);
    expect(await epochRow()).toMatchObject({ epoch: 5 });
    expect(await epochFiles()).toEqual(['epoch-5.key']);
    const keys = await storedKeys();
    expect(keys.size).toBe(121);
    expect(new Set([...keys.values()].map((k) => k.epoch))).toEqual(new Set([5]));
    for (const reader of [registering.vault, aProcess().vault]) {
      const views = await reader.readMany(ids);
      expect([...views.values()].map((v) => (v.erased ? null : v.data.firstName))).toEqual(
        people.map((p) => p.firstName),
      );
    }
  });

  it('keeps registering and reading while a rotation re-wraps', async () => {
    const { vault } = aProcess();
    const held = await vault.register(aPerson({ firstName: 'Held' }));
    const other = await vault.register(aPerson({ firstName: 'Other' }));
    // Another transaction holds one key row: the rotation waits for it halfway through step 2.
    const blocker = await pool.connect();
    await blocker.query('begin');
    await blocker.query('select 1 from subject_keys where subject_id = $1 for update', [held]);
    let rotated = false;
    const rotation = aProcess()
      .vault.rotate()
      .then((done) => ((rotated = true), done));
    try {
      for (let named = false; !named;) {
        const { rows } = await pool.query<{ next: number | null }>(
          'select next_epoch as next from vault_epoch',
        );
        named = rows[0]?.next === 2;
      }

      const during = await aProcess().vault.register(aPerson({ firstName: 'During' }));
      expect(await aProcess().vault.read(other)).toMatchObject({ data: { firstName: 'Other' } });
      expect(rotated).toBe(false);
      expect((await storedKeys()).get(during)?.epoch).toBe(2);
    } finally {
      await blocker.query('commit');
      blocker.release();
    }
    expect(await rotation).toMatchObject({ from: 1, to: 2, rewrapped: 2 });
    expect(await epochFiles()).toEqual(['epoch-2.key']);
    expect(await vault.read(held)).toMatchObject({ data: { firstName: 'Held' } });
  });

  it('returns from an erasure only once the rotation that took its debt on has finished', async () => {
    const { vault } = aProcess();
    const erased = await vault.register(aPerson({ firstName: 'Erased' }));
    const held = await vault.register(aPerson({ firstName: 'Held' }));
    const blocker = await pool.connect();
    await blocker.query('begin');
    await blocker.query('select 1 from subject_keys where subject_id = $1 for update', [held]);
    // The erasure's first statement, as `erase` runs it; a worker's rotation then takes its debt on.
    await pool.query(
      `with erased as (delete from subject_keys where subject_id = $1 returning subject_id)
       insert into vault_rotations_owed (owed_at) select now() from erased`,
      [erased],
    );
    const rotation = aProcess().vault.rotate();
    for (let named = false; !named;) {
      const { rows } = await pool.query<{ owed: boolean; next: number | null }>(
        'select exists (select from vault_rotations_owed) as owed, next_epoch as next from vault_epoch',
      );
      named = rows[0]?.next === 2 && !rows[0].owed;
    }
    let returned = false;
    const erasing = vault.erase(erased).then(() => (returned = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(returned).toBe(false);

    await blocker.query('commit');
    blocker.release();
    await Promise.all([rotation, erasing]);
    expect(await epochFiles()).toEqual(['epoch-2.key']);
  });

  it('carries through a rotation stopped after naming its epoch', async () => {
    const { vault, keyring } = aProcess();
    const before = await vault.register(aPerson({ firstName: 'Before' }));
    const { vaultId } = await epochRow();
    await keyring.createEpoch(vaultId, 2);
    await pool.query('update vault_epoch set next_epoch = 2');

    const after = await aProcess().vault.register(aPerson({ firstName: 'After' }));
    expect((await storedKeys()).get(after)?.epoch).toBe(2);
    expect(await aProcess().vault.read(before)).toMatchObject({ data: { firstName: 'Before' } });

    expect(await vault.rotateIfDue(DAY_MS)).toMatchObject({ from: 1, to: 2, rewrapped: 1 });
    expect(await epochRow()).toMatchObject({ epoch: 2 });
    expect(await epochFiles()).toEqual(['epoch-2.key']);
    const views = await aProcess().vault.readMany([before, after]);
    expect([...views.values()].map((v) => !v.erased && v.data.firstName)).toEqual([
      'Before',
      'After',
    ]);
  });

  /** A process whose first look into the keyring comes just after another process rotated. */
  function aProcessOvertaken(rotator: SubjectVault) {
    const overtaken = aProcess();
    const epochKey = overtaken.keyring.epochKey.bind(overtaken.keyring);
    const asked: number[] = [];
    jest.spyOn(overtaken.keyring, 'epochKey').mockImplementation(async (vaultId, epoch) => {
      asked.push(epoch);
      if (asked.length === 1) await rotator.rotate();
      return epochKey(vaultId, epoch);
    });
    return { vault: overtaken.vault, asked };
  }

  it('reads a row once more when its epoch is destroyed between the read and the key', async () => {
    const { vault: rotator } = aProcess();
    const subjectId = await rotator.register(aPerson());

    const reader = aProcessOvertaken(rotator);
    expect(await reader.vault.read(subjectId)).toMatchObject({ erased: false, data: aPerson() });
    expect(reader.asked).toEqual([1, 2]);

    const updater = aProcessOvertaken(rotator);
    await updater.vault.update(subjectId, aPerson({ firstName: 'Moved' }));
    expect(updater.asked).toEqual([2, 3]);
    expect(await rotator.read(subjectId)).toMatchObject({ data: { firstName: 'Moved' } });
  });

  it('says so, and shows nothing, when the epoch is missing from the keyring it was given', async () => {
    const subjectId = await aProcess().vault.register(aPerson());
    const elsewhere = new VaultKeyring(await mkdtemp(join(tmpdir(), 'relais-keyring-')), masterKey);
    try {
      const lost = new SubjectVault(pool, elsewhere);
      await expect(lost.read(subjectId)).rejects.toThrow(SubjectDecryptionError);
      await expect(lost.read(subjectId)).rejects.toThrow(/key epoch 1 is not in the keyring/);
      await expect(lost.register(aPerson())).rejects.toThrow(/RELAIS_VAULT_KEYRING/);
    } finally {
      await rm(elsewhere.folder, { recursive: true, force: true });
    }
  });

  it('registers under the new epoch when a rotation switched it after this process read it', async () => {
    const registering = aProcess();
    await registering.vault.register(aPerson());
    await aProcess().vault.rotate();

    const subjectId = await registering.vault.register(aPerson({ firstName: 'After' }));

    expect((await storedKeys()).get(subjectId)?.epoch).toBe(2);
    expect(await aProcess().vault.read(subjectId)).toMatchObject({ data: { firstName: 'After' } });
  });

  it('rotates on schedule, when an erasure is still owed, and not otherwise', async () => {
    const { vault } = aProcess();
    await vault.register(aPerson());
    expect(await vault.rotateIfDue(DAY_MS)).toBeUndefined();

    await pool.query(`update vault_epoch set rotated_at = now() - interval '25 hours'`);
    expect(await vault.rotateIfDue(DAY_MS)).toMatchObject({ from: 1, to: 2, rewrapped: 1 });
    expect(await vault.rotateIfDue(DAY_MS)).toBeUndefined();
    await pool.query(`update vault_epoch set rotated_at = now() - interval '2 hours'`);
    expect(await vault.rotateIfDue(DAY_MS)).toBeUndefined();
    expect(await vault.rotateIfDue(3600 * 1000)).toMatchObject({ from: 2, to: 3 });

    await pool.query('insert into vault_rotations_owed default values');
    expect(await vault.rotateIfDue(DAY_MS)).toMatchObject({ from: 3, to: 4 });
    expect(await epochFiles()).toEqual(['epoch-4.key']);
  });

  it('keeps an erasure owed when its rotation fails, and the next round makes it final', async () => {
    const { vault, keyring } = aProcess();
    const erased = await vault.register(aPerson({ firstName: 'Erased' }));
    const kept = await vault.register(aPerson({ firstName: 'Kept' }));
    jest.spyOn(keyring, 'createEpoch').mockRejectedValueOnce(new Error('disk full'));

    await expect(vault.erase(erased)).rejects.toThrow('disk full');

    expect(await vault.read(erased)).toEqual({ subjectId: erased, erased: true });
    expect(await epochRow()).toMatchObject({ epoch: 1 });
    expect(await epochFiles()).toEqual(['epoch-1.key']);
    expect(await vault.rotateIfDue(DAY_MS)).toMatchObject({ from: 1, to: 2, rewrapped: 1 });
    expect(await epochFiles()).toEqual(['epoch-2.key']);
    expect(await vault.read(kept)).toMatchObject({ data: { firstName: 'Kept' } });
  });

  it('destroys what a stopped rotation left: an old epoch after its commit, an orphan before', async () => {
    const { vault, keyring } = aProcess();
    await vault.register(aPerson());
    await vault.rotate();
    const { vaultId } = await epochRow();
    await keyring.createEpoch(vaultId, 1); // stopped after committing epoch 2
    expect(await epochFiles()).toEqual(['epoch-1.key', 'epoch-2.key']);
    expect(await vault.rotateIfDue(DAY_MS)).toBeUndefined();
    expect(await epochFiles()).toEqual(['epoch-2.key']);

    await keyring.createEpoch(vaultId, 3); // stopped before committing epoch 3
    expect(await vault.rotate()).toMatchObject({ from: 2, to: 4, destroyed: [2, 3] });
    expect(await epochFiles()).toEqual(['epoch-4.key']);
  });

  it('leaves a key that no epoch opens as it was, counted, and rotates the others', async () => {
    const { vault } = aProcess();
    const victim = await vault.register(aPerson());
    const kept = await vault.register(aPerson({ firstName: 'Kept' }));
    await pool.query('update subject_keys set wrapped_key = $2 where subject_id = $1', [
      victim,
      randomBytes(60),
    ]);

    expect(await vault.rotate()).toMatchObject({ rewrapped: 1, unreadable: 1 });
    expect(await vault.read(kept)).toMatchObject({ data: { firstName: 'Kept' } });
    await expect(vault.read(victim)).rejects.toThrow(SubjectDecryptionError);
  });

  it('gives two databases sharing a keyring folder epochs of their own', async () => {
    const other = await createTestDatabase();
    const otherPool = new Pool({ connectionString: other.url });
    try {
      await migrate(otherPool, vaultMigrations);
      const here = await aProcess().vault.register(aPerson({ firstName: 'Here' }));
      const otherVault = new SubjectVault(otherPool, new VaultKeyring(folder, masterKey));
      const there = await otherVault.register(aPerson({ firstName: 'There' }));
      await otherVault.rotate();

      expect(await aProcess().vault.read(here)).toMatchObject({ data: { firstName: 'Here' } });
      expect(await otherVault.read(there)).toMatchObject({ data: { firstName: 'There' } });
      expect((await readdir(folder)).length).toBe(2);
    } finally {
      await otherPool.end();
      await other.drop();
    }
  });
});
