import { randomBytes } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { LocalTokens } from './local-tokens';
import { aPrincipal, invalidTokenReasonOf } from './testing/principals';

const secret = randomBytes(32);
const issuedAt = new Date('2025-03-03T08:00:00Z');
const EIGHT_HOURS_MS = 8 * 60 * 60 * 1000;

function tokensAt(now: Date, options: { secret?: Uint8Array; issuer?: string } = {}) {
  return new LocalTokens({
    secret: options.secret ?? secret,
    issuer: options.issuer,
    now: () => now,
  });
}

describe('LocalTokens', () => {
  it('issues a bearer token that verifies back to the same principal', async () => {
    const principal = aPrincipal({ roles: ['manager', 'dpo'] });

    const issued = await tokensAt(issuedAt).issue(principal);

    expect(issued.tokenType).toBe('Bearer');
    expect(issued.expiresAt).toEqual(new Date(issuedAt.getTime() + EIGHT_HOURS_MS));
    await expect(tokensAt(issuedAt).verify(issued.accessToken)).resolves.toEqual(principal);
  });

  it('carries the staff member in standard and Relais claims', async () => {
    const { accessToken } = await tokensAt(issuedAt).issue(aPrincipal());

    expect(decodeJwt(accessToken)).toMatchObject({
      iss: 'relais',
      sub: 'staff-1',
      org: 'cpas-namur',
      roles: ['social_worker'],
      email: 'anne.dupont@cpas-namur.be',
      name: 'Anne Dupont',
      iat: issuedAt.getTime() / 1000,
      exp: (issuedAt.getTime() + EIGHT_HOURS_MS) / 1000,
    });
  });

  it('verifies a principal without a name', async () => {
    const { staffId, organisationId, roles, email } = aPrincipal();
    const withoutName = { staffId, organisationId, roles, email };

    const { accessToken } = await tokensAt(issuedAt).issue(withoutName);

    await expect(tokensAt(issuedAt).verify(accessToken)).resolves.toStrictEqual(withoutName);
  });

  it('accepts a token until its expiry and refuses it afterwards', async () => {
    const { accessToken } = await tokensAt(issuedAt).issue(aPrincipal());
    const justBefore = new Date(issuedAt.getTime() + EIGHT_HOURS_MS - 1000);
    const justAfter = new Date(issuedAt.getTime() + EIGHT_HOURS_MS + 1000);

    await expect(tokensAt(justBefore).verify(accessToken)).resolves.toEqual(aPrincipal());
    expect(await invalidTokenReasonOf(tokensAt(justAfter).verify(accessToken))).toBe('expired');
  });

  it('honours a shorter lifetime', async () => {
    const tokens = new LocalTokens({ secret, ttlSeconds: 60, now: () => issuedAt });

    const { expiresAt } = await tokens.issue(aPrincipal());

    expect(expiresAt).toEqual(new Date(issuedAt.getTime() + 60_000));
  });

  it('refuses a token signed with another secret', async () => {
    const { accessToken } = await tokensAt(issuedAt, { secret: randomBytes(32) }).issue(
      aPrincipal(),
    );

    expect(await invalidTokenReasonOf(tokensAt(issuedAt).verify(accessToken))).toBe(
      'bad_signature',
    );
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const { accessToken } = await tokensAt(issuedAt).issue(aPrincipal());
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as object;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString(
      'base64url',
    );

    const tampered = [header, forged, signature].join('.');

    expect(await invalidTokenReasonOf(tokensAt(issuedAt).verify(tampered))).toBe('bad_signature');
  });

  it('refuses a token from another issuer sharing the secret', async () => {
    const { accessToken } = await tokensAt(issuedAt, { issuer: 'elsewhere' }).issue(aPrincipal());

    expect(await invalidTokenReasonOf(tokensAt(issuedAt).verify(accessToken))).toBe('wrong_issuer');
  });

  it('refuses a correctly signed token naming an unknown role', async () => {
    const forged = await new SignJWT({ org: 'cpas-namur', roles: ['root'], email: 'x@y.be' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('relais')
      .setSubject('staff-1')
      .setIssuedAt(issuedAt)
      .setExpirationTime(new Date(issuedAt.getTime() + 60_000))
      .sign(secret);

    expect(await invalidTokenReasonOf(tokensAt(issuedAt).verify(forged))).toBe('invalid_claims');
  });

  it('refuses a correctly signed token without an expiry', async () => {
    const forged = await new SignJWT({ org: 'cpas-namur', roles: [], email: 'x@y.be' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('relais')
      .setSubject('staff-1')
      .setIssuedAt(issuedAt)
      .sign(secret);

    expect(await invalidTokenReasonOf(tokensAt(issuedAt).verify(forged))).toBe('invalid_claims');
  });

  it('refuses an unsigned token', async () => {
    const { accessToken } = await tokensAt(issuedAt).issue(aPrincipal());
    const [, payload] = accessToken.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');

    const unsigned = `${none}.${payload}.`;

    expect(await invalidTokenReasonOf(tokensAt(issuedAt).verify(unsigned))).toBe('wrong_algorithm');
  });

  it('refuses something that is not a JWT', async () => {
    expect(await invalidTokenReasonOf(tokensAt(issuedAt).verify('not-a-token'))).toBe('malformed');
  });

  it('will not start with a short secret', () => {
    expect(() => new LocalTokens({ secret: randomBytes(16) })).toThrow(/at least 32 bytes/);
  });
});
