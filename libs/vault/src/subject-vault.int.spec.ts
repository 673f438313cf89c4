import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { migrate } from '@relais/database';
import { createTestDatabase } from '../../../test/support/postgres';
import { open, pack, seal, unpack } from './aes-gcm';
import { InvalidMasterKeyError } from './master-key';
import { InvalidPersonalDataError, PersonalData } from './personal-data';
import {
  SubjectAlreadyRegisteredError,
  SubjectDecryptionError,
  SubjectErasedError,
  SubjectVault,
} from './subject-vault';
import { VaultKeyring } from './vault-keyring';
import { vaultMigrations } from './vault.migrations';

function aPerson(overrides: Partial<PersonalData> = {}): PersonalData {
  return {
    firstName: 'Amina',
    lastName: 'Benali',
    birthDate: '1985-07-30',
    niss: '85073003328',
    address: { street: 'Rue Haute 12', postalCode: '1000', municipality: 'Bruxelles' },
    ...overrides,
  };
}

const AURELIE: PersonalData = {
  firstName: 'Aurélie',
  lastName: 'Journal-Accès',
  birthDate: '1985-07-30',
  niss: '92031512322',
  address: { street: 'Rue Haute 12', postalCode: '5590', municipality: 'Ciney' },
};
const NOE: PersonalData = { firstName: 'Noé', lastName: 'Journal-Accès' };

describe('SubjectVault', () => {
  let pool: Pool;
  let drop: () => Promise<void>;
  const masterKey = randomBytes(32);
  let keyring: VaultKeyring;
  let vault: SubjectVault;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    pool = new Pool({ connectionString: database.url });
    await migrate(pool, vaultMigrations);
    keyring = new VaultKeyring(await mkdtemp(join(tmpdir(), 'relais-keyring-')), masterKey);
    vault = new SubjectVault(pool, keyring);
  });
  afterAll(async () => {
    await pool.end();
    await drop();
    await rm(keyring.folder, { recursive: true, force: true });
  });

  async function currentEpochKey(): Promise<Buffer> {
    const { rows } = await pool.query<{ vault_id: string; epoch: number }>(
      'select vault_id, epoch from vault_epoch',
    );
    const key = await keyring.epochKey(rows[0]!.vault_id, rows[0]!.epoch);
    return key!;
  }

  async function rowCounts(subjectId: string) {
    const { rows } = await pool.query<{ keys: number; data: number }>(
      `select (select count(*)::int from subject_keys where subject_id = $1) as keys,
              (select count(*)::int from subject_data where subject_id = $1) as data`,
      [subjectId],
    );
    return rows[0];
  }

  it('reads back what was registered, under a new subject id', async () => {
    const subjectId = await vault.register(aPerson());
    expect(subjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await vault.read(subjectId)).toEqual({ subjectId, erased: false, data: aPerson() });
  });

  it('registers under the subject id given, once', async () => {
    const given = randomUUID();
    expect(await vault.register(aPerson({ firstName: 'Lucas' }), given)).toBe(given);
    await expect(vault.register(aPerson(), given)).rejects.toBeInstanceOf(
      SubjectAlreadyRegisteredError,
    );
    expect(await vault.read(given)).toMatchObject({ data: { firstName: 'Lucas' } });
  });

  it('reads many subjects at once, unknown ones as erased', async () => {
    const amina = await vault.register(aPerson());
    const lucas = await vault.register({ firstName: 'Lucas', lastName: 'Peeters' });
    const unknown = randomUUID();

    const views = await vault.readMany([amina, lucas, unknown, 'not-a-uuid']);

    expect([...views.values()]).toEqual([
      { subjectId: amina, erased: false, data: aPerson() },
      { subjectId: lucas, erased: false, data: { firstName: 'Lucas', lastName: 'Peeters' } },
      { subjectId: unknown, erased: true },
      { subjectId: 'not-a-uuid', erased: true },
    ]);
    expect(await vault.readMany([])).toEqual(new Map());
  });

  it('finds a subject whatever the case of its id', async () => {
    const subjectId = await vault.register(aPerson());
    expect(await vault.read(subjectId.toUpperCase())).toMatchObject({ erased: false });
  });

  it('replaces the data on update and counts versions', async () => {
    const subjectId = await vault.register(aPerson());
    const moved = aPerson({
      address: { street: 'Rue Saint-Gilles 5', postalCode: '4000', municipality: 'Liège' },
    });
    await vault.update(subjectId, moved);
    expect(await vault.read(subjectId)).toEqual({ subjectId, erased: false, data: moved });
    const { rows } = await pool.query<{ version: number }>(
      'select version from subject_data where subject_id = $1',
      [subjectId],
    );
    expect(rows).toEqual([{ version: 2 }]);
  });

  it('shows an erased subject as erased and keeps neither its key nor its data', async () => {
    const subjectId = await vault.register(aPerson());
    const other = await vault.register(aPerson({ firstName: 'Lucas' }));

    await vault.erase(subjectId);

    expect(await vault.read(subjectId)).toEqual({ subjectId, erased: true });
    expect(await rowCounts(subjectId)).toEqual({ keys: 0, data: 0 });
    expect(await vault.read(other)).toMatchObject({ erased: false });
    await expect(vault.update(subjectId, aPerson())).rejects.toBeInstanceOf(SubjectErasedError);
  });

  it('erases idempotently, unknown subjects included', async () => {
    const subjectId = await vault.register(aPerson());
    await vault.erase(subjectId);
    await expect(vault.erase(subjectId)).resolves.toBeUndefined();
    await expect(vault.erase(randomUUID())).resolves.toBeUndefined();
    await expect(vault.erase('not-a-uuid')).resolves.toBeUndefined();
    expect(await vault.read(subjectId)).toEqual({ subjectId, erased: true });
  });

  it('refuses to update a subject that was never registered', async () => {
    await expect(vault.update(randomUUID(), aPerson())).rejects.toBeInstanceOf(SubjectErasedError);
  });

  it('stores neither the name nor the NISS in clear text', async () => {
    const person = aPerson({
      firstName: 'Zénobie',
      lastName: 'Vandersmissen',
      niss: '00010100105',
    });
    const subjectId = await vault.register(person);
    await vault.update(subjectId, person);

    const { rows: text } = await pool.query<{ dump: string }>(
      `select t::text as dump from subject_keys t where subject_id = $1
       union all select t::text from subject_data t where subject_id = $1
       union all select encode(wrapped_key, 'escape') from subject_keys where subject_id = $1
       union all select encode(ciphertext, 'escape') from subject_data where subject_id = $1`,
      [subjectId],
    );
    const { rows: bytes } = await pool.query<{ raw: Buffer }>(
      `select wrapped_key as raw from subject_keys where subject_id = $1
       union all select iv || ciphertext || auth_tag from subject_data where subject_id = $1`,
      [subjectId],
    );
    expect(text).toHaveLength(4);
    expect(bytes).toHaveLength(2);
    const dump = text.map((row) => row.dump).join('\n');
    const raw = Buffer.concat(bytes.map((row) => row.raw));
    for (const secret of ['Zénobie', 'Vandersmissen', '00010100105', 'Rue Haute']) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(Buffer.from(secret, 'utf8').toString('hex'));
      expect(raw.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
  });

  it('cannot be read with another master key: a clear error, not garbage', async () => {
    const subjectId = await vault.register(aPerson());
    const stranger = new SubjectVault(pool, new VaultKeyring(keyring.folder, randomBytes(32)));

    await expect(stranger.read(subjectId)).rejects.toThrow(SubjectDecryptionError);
    await expect(stranger.read(subjectId)).rejects.toThrow(/another master key/);
    await expect(stranger.update(subjectId, aPerson())).rejects.toThrow(SubjectDecryptionError);
    expect(await vault.read(subjectId)).toMatchObject({ erased: false, data: aPerson() });
  });

  it("refuses a subject's ciphertext copied onto another subject", async () => {
    const victim = await vault.register(aPerson({ firstName: 'Victim' }));
    const source = await vault.register(aPerson({ firstName: 'Source' }));
    await pool.query(
      `update subject_data v set iv = s.iv, ciphertext = s.ciphertext, auth_tag = s.auth_tag
       from subject_data s where v.subject_id = $1 and s.subject_id = $2`,
      [victim, source],
    );

    await expect(vault.read(victim)).rejects.toThrow(SubjectDecryptionError);
    await expect(vault.read(victim)).rejects.toThrow(/belongs to another subject/);
    expect(await vault.read(source)).toMatchObject({ data: { firstName: 'Source' } });
  });

  it("refuses a subject's key and ciphertext both copied onto another subject", async () => {
    const victim = await vault.register(aPerson({ firstName: 'Victim' }));
    const source = await vault.register(aPerson({ firstName: 'Source' }));
    await pool.query(
      `update subject_keys v set wrapped_key = s.wrapped_key
       from subject_keys s where v.subject_id = $1 and s.subject_id = $2`,
      [victim, source],
    );
    await pool.query(
      `update subject_data v set iv = s.iv, ciphertext = s.ciphertext, auth_tag = s.auth_tag
       from subject_data s where v.subject_id = $1 and s.subject_id = $2`,
      [victim, source],
    );

    await expect(vault.readMany([source, victim])).rejects.toThrow(SubjectDecryptionError);
    await expect(vault.read(victim)).rejects.toThrow(/its key was wrapped by another master key/);
  });

  it("refuses a ciphertext moved to another subject even with that subject's data key", async () => {
    const victim = await vault.register(aPerson({ firstName: 'Victim' }));
    const source = await vault.register(aPerson({ firstName: 'Source' }));
    const { rows } = await pool.query<{ wrapped_key: Buffer }>(
      'select wrapped_key from subject_keys where subject_id = $1',
      [source],
    );
    const epochKey = await currentEpochKey();
    const sourceKey = open(epochKey, unpack(rows[0]!.wrapped_key), Buffer.from(source));
    const rewrapped = pack(seal(epochKey, sourceKey, Buffer.from(victim)));
    await pool.query('update subject_keys set wrapped_key = $2 where subject_id = $1', [
      victim,
      rewrapped,
    ]);
    await pool.query(
      `update subject_data v set iv = s.iv, ciphertext = s.ciphertext, auth_tag = s.auth_tag
       from subject_data s where v.subject_id = $1 and s.subject_id = $2`,
      [victim, source],
    );

    await expect(vault.read(victim)).rejects.toThrow(/belongs to another subject/);
  });

  it('refuses invalid personal data naming the field, and stores nothing', async () => {
    const subjectId = randomUUID();
    const cases: [PersonalData, string][] = [
      [aPerson({ niss: '85073003329' }), 'niss'],
      [aPerson({ birthDate: '1985-02-30' }), 'birthDate'],
      [aPerson({ firstName: '' }), 'firstName'],
    ];
    for (const [data, field] of cases) {
      const refusal = vault.register(data, subjectId);
      await expect(refusal).rejects.toBeInstanceOf(InvalidPersonalDataError);
      await expect(refusal).rejects.toMatchObject({ field });
    }
    await expect(vault.register(aPerson(), 'not-a-uuid')).rejects.toMatchObject({
      field: 'subjectId',
    });
    expect(await rowCounts(subjectId)).toEqual({ keys: 0, data: 0 });

    const registered = await vault.register(aPerson());
    await expect(vault.update(registered, aPerson({ lastName: ' ' }))).rejects.toMatchObject({
      name: 'InvalidPersonalDataError',
      field: 'lastName',
    });
    expect(await vault.read(registered)).toMatchObject({ data: aPerson() });
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new VaultKeyring(keyring.folder, randomBytes(16))).toThrow(InvalidMasterKeyError);
  });

  describe('its blind index: a person found by NISS or name, neither stored in clear', () => {
    it('finds a registered person by the NISS with or without its dots and dash, and by the full name in either order, accents, case and spaces aside', async () => {
      const aurelie = await vault.register(AURELIE);
      const noe = await vault.register(NOE);
      expect(await vault.findByNiss('92031512322')).toEqual([aurelie]);
      expect(await vault.findByNiss('92.03.15-123.22')).toEqual([aurelie]);
      expect(await vault.findByName('Aurélie Journal-Accès')).toEqual([aurelie]);
      expect(await vault.findByName('  journal acces   AURELIE ')).toEqual([aurelie]);
      expect(await vault.findByName('Noe Journal Acces')).toEqual([noe]);
      expect(await vault.findByName('Journal-Accès')).toEqual([]);
      expect(await vault.findByNiss('85073003427')).toEqual([]);
    });

    it('finds the people whose names hold every word typed, from a word most of them share too', async () => {
      const many = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          vault.register({
            firstName: i % 2 === 0 ? 'Zoé' : 'Yann',
            lastName: `Commun-Rare${i % 3}`,
          }),
        ),
      );
      const wanted = many.filter((_, i) => i % 2 === 0 && i % 3 === 1).sort();
      expect(await vault.findByNameWords('commun rare1 zoe')).toEqual(wanted);
      expect(await vault.findByNameWords('ZOÉ Commun-Rare1')).toEqual(wanted);
      expect((await vault.findByNameWords('commun')).length).toBe(30);
      expect(await vault.findByNameWords('commun personne')).toEqual([]);
      expect(await vault.findByNameWords('comm')).toEqual([]);
    });

    it('holds no NISS and no name in clear: only digests of fixed length', async () => {
      await vault.register(AURELIE);
      const { rows } = await pool.query<{ kind: string; digest: Buffer; text: string }>(
        `select kind, digest, row_to_json(l)::text as text from subject_lookup l`,
      );
      expect(rows.length).toBeGreaterThan(0);
      const clear = [
        '92031512322',
        '920315',
        '85073003328',
        'Amina',
        'benali',
        'Aurélie',
        'aurelie',
        'Journal',
        'journal',
        'acces',
        'Noé',
        'noe',
        'Ciney',
      ];
      for (const row of rows) {
        expect(row.digest).toHaveLength(32);
        for (const value of clear) {
          expect(row.text).not.toContain(value);
          expect(row.digest.toString('latin1')).not.toContain(value);
          expect(row.digest.toString('utf8')).not.toContain(value);
        }
      }
      expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['niss', 'name', 'token']));
    });

    it('follows a change of name or NISS: the old ones no longer find the person', async () => {
      const id = await vault.register({
        firstName: 'Line',
        lastName: 'Avant',
        niss: '90010100123',
      });
      await vault.update(id, { firstName: 'Line', lastName: 'Après', niss: '78110245635' });
      expect(await vault.findByName('Line Avant')).toEqual([]);
      expect(await vault.findByNiss('90010100123')).toEqual([]);
      expect(await vault.findByName('Line Apres')).toEqual([id]);
      expect(await vault.findByNiss('78110245635')).toEqual([id]);
    });

    it('forgets an erased person', async () => {
      const id = await vault.register({ firstName: 'Effacée', lastName: 'Bientôt' });
      expect(await vault.findByName('Effacee Bientot')).toEqual([id]);
      await vault.erase(id);
      expect(await vault.findByName('Effacee Bientot')).toEqual([]);
      const { rows } = await pool.query('select from subject_lookup where subject_id = $1', [id]);
      expect(rows).toHaveLength(0);
    });

    it('indexes the people registered before the index, once, beside another process doing the same', async () => {
      const ids = [];
      for (let i = 0; i < 7; i++) {
        ids.push(await vault.register({ firstName: `Ancien${i}`, lastName: 'Sans-Index' }));
      }
      await pool.query('delete from subject_lookup where subject_id = any($1::uuid[])', [ids]);
      expect(await vault.findByName('Ancien3 Sans Index')).toEqual([]);
      const other = new SubjectVault(pool, keyring);
      const [a, b] = await Promise.all([vault.indexUnindexed(), other.indexUnindexed()]);
      expect(a + b).toBeGreaterThanOrEqual(7);
      expect(await vault.findByName('Ancien3 Sans Index')).toEqual([ids[3]]);
      expect(await vault.findByName('sans index ancien6')).toEqual([ids[6]]);
      expect(await vault.indexUnindexed()).toBe(0);
    });
  });
});
