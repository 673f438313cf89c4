import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the password it hashed', async () => {
    const stored = await hashPassword('correct horse battery staple');

    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
  });

  it('refuses a wrong password', async () => {
    const stored = await hashPassword('correct horse battery staple');

    await expect(verifyPassword('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts every hash, so the same password never hashes twice alike', async () => {
    const first = await hashPassword('s3cret-Namur');
    const second = await hashPassword('s3cret-Namur');

    expect(first).not.toBe(second);
    await expect(verifyPassword('s3cret-Namur', first)).resolves.toBe(true);
    await expect(verifyPassword('s3cret-Namur', second)).resolves.toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['another scheme', 'bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    ['missing fields', 'scrypt$16384$8$1$c2FsdA=='],
    [
      'a cost that is not a power of two',
      'scrypt$16000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(43) + '=',
    ],
    ['an excessive cost', 'scrypt$1048576$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(43) + '='],
    ['a non-numeric parameter', 'scrypt$abc$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(43) + '='],
    ['a salt that is not base64', 'scrypt$16384$8$1$not*base64!$' + 'A'.repeat(43) + '='],
    ['a short salt', 'scrypt$16384$8$1$AAAA$' + 'A'.repeat(43) + '='],
  ])('treats a malformed stored hash (%s) as a mismatch', async (_label, stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false);
  });

  it('refuses a truncated copy of a real hash', async () => {
    const stored = await hashPassword('correct horse battery staple');

    await expect(
      verifyPassword('correct horse battery staple', stored.slice(0, -10)),
    ).resolves.toBe(false);
  });

  it('answers false for an unknown account, after doing the same work', async () => {
    await expect(verifyPassword('whatever', undefined)).resolves.toBe(false);
  });
});
