import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidMasterKeyError, loadOrCreateMasterKey, masterKeyFrom } from './master-key';

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

describe('loadOrCreateMasterKey', () => {
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
});
