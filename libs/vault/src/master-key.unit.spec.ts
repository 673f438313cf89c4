import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InvalidMasterKeyError,
  loadOrCreateMasterKey,
  MasterKeyConflictError,
  masterKeyFrom,
  moveMasterKey,
  readMasterKeyFile,
} from './master-key';

describe('masterKeyFrom', () => {
  it('decodes 32 bytes of base64, with or without padding and surrounding whitespace', () => {
    const key = randomBytes(32);
    expect(masterKeyFrom(key.toString('base64'))).toEqual(key);
    expect(masterKeyFrom(` ${key.toString('base64')}\n`)).toEqual(key);
    expect(masterKeyFrom(key.toString('base64').replace(/=+$/, ''))).toEqual(key);
  });

  it.each([
    ['a 16-byte key', randomBytes(16).toString('base64'), /decodes to 16 bytes/],
    ['a 64-byte key', randomBytes(64).toString('base64'), /decodes to 64 bytes/],
    ['a hex key', randomBytes(32).toString('hex'), /decodes to 48 bytes/],
    ['text with spaces inside', 'my secret key', /not base64/],
    ['nothing', '', /not base64/],
  ])('refuses %s with a clear message', (_case, value, message) => {
    expect(() => masterKeyFrom(value)).toThrow(InvalidMasterKeyError);
    expect(() => masterKeyFrom(value)).toThrow(message);
  });

  it('does not repeat the refused value in its message', () => {
    const value = randomBytes(31).toString('base64');
    const message = (() => {
      try {
        masterKeyFrom(value);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/decodes to 31 bytes/);
    expect(message).not.toContain(value);
  });
});

describe('master key files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relais-vault-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a key file readable by its owner only, then reuses it', async () => {
    const file = join(dir, 'data', 'vault.key');
    const created = await loadOrCreateMasterKey(file);
    expect(created).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(masterKeyFrom(await readFile(file, 'utf8'))).toEqual(created);

    expect(await loadOrCreateMasterKey(file)).toEqual(created);
  });

  it('gives every process starting at once the same key', async () => {
    const file = join(dir, 'vault.key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateMasterKey(file)));
    expect(new Set(keys.map((key) => key.toString('base64'))).size).toBe(1);
  });

  it('refuses a key file that holds no valid key rather than replacing it', async () => {
    const file = join(dir, 'vault.key');
    await writeFile(file, 'not a key\n');
    await expect(loadOrCreateMasterKey(file)).rejects.toThrow(InvalidMasterKeyError);
    expect(await readFile(file, 'utf8')).toBe('not a key\n');
  });

  it('moves a key file from the data folder to the keyring once, for every process at once', async () => {
    const key = randomBytes(32);
    const from = join(dir, 'data', 'vault.key');
    const to = join(dir, 'data-keys', 'vault.key');
    await mkdir(join(dir, 'data'));
    await writeFile(from, `${key.toString('base64')}\n`, { mode: 0o600 });

    await Promise.all(Array.from({ length: 6 }, () => moveMasterKey(from, to)));

    await expect(stat(from)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await loadOrCreateMasterKey(to)).toEqual(key);
    expect((await stat(to)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'data-keys'))).mode & 0o777).toBe(0o700);
    await expect(moveMasterKey(from, to)).resolves.toBeUndefined();
  });

  it('refuses two different keys rather than choosing one, and keeps both', async () => {
    const from = join(dir, 'old.key');
    const to = join(dir, 'new.key');
    await writeFile(from, randomBytes(32).toString('base64'));
    await writeFile(to, randomBytes(32).toString('base64'));
    await expect(moveMasterKey(from, to)).rejects.toBeInstanceOf(MasterKeyConflictError);
    expect((await stat(from)).isFile()).toBe(true);
  });

  it('reads a key file, and names the file it cannot read, never its content', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'secret');
    await writeFile(file, `${key.toString('base64')}\n`);
    expect(await readMasterKeyFile(file)).toEqual(key);
    await expect(readMasterKeyFile(join(dir, 'missing'))).rejects.toThrow(
      /the file .*missing cannot be read \(ENOENT\)/,
    );
    await writeFile(file, 'hunter2');
    await expect(readMasterKeyFile(file)).rejects.toThrow(InvalidMasterKeyError);
    await expect(readMasterKeyFile(file)).rejects.not.toThrow(/hunter2/);
  });
});
