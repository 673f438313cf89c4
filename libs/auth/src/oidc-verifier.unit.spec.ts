import { randomBytes } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { OidcVerifier, type OidcVerifierOptions } from './oidc-verifier';
import type { Principal } from './principal';
import {
  aClosedAddress,
  aSigningKey,
  TestIdentityProvider,
  type SigningKey,
} from './testing/identity-provider';
import { aPrincipal, invalidTokenReasonOf } from './testing/principals';
import { IdentityProviderUnavailableError } from './token-verifier';

const anne = aPrincipal({ staffId: 'staff-anne', email: 'anne.dupont@cpas-namur.be' });

function staffByEmail(claims: JWTPayload): Promise<Principal | undefined> {
  return Promise.resolve(claims.email === anne.email ? anne : undefined);
}

describe('OidcVerifier', () => {
  let providerKey: SigningKey;
  let provider: TestIdentityProvider;

  beforeAll(async () => {
    providerKey = await aSigningKey('provider-key-1');
    provider = await TestIdentityProvider.start([providerKey]);
  });

  afterAll(() => provider.stop());

  function aVerifier(overrides: Partial<OidcVerifierOptions> = {}): OidcVerifier {
    return new OidcVerifier({
      issuer: provider.issuer,
      audience: 'relais-api',
      resolvePrincipal: staffByEmail,
      ...overrides,
    });
  }

  it('resolves the member of staff behind a token from the provider', async () => {
    const token = await provider.sign(providerKey);

    await expect(aVerifier().verify(token)).resolves.toEqual(anne);
  });

  it('hands the verified claims to the principal resolver', async () => {
    const seen: JWTPayload[] = [];
    const verifier = aVerifier({
      resolvePrincipal: (claims) => {
        seen.push(claims);
        return staffByEmail(claims);
      },
    });

    await verifier.verify(await provider.sign(providerKey, { email_verified: true }));

    expect(seen).toEqual([
      expect.objectContaining({
        iss: provider.issuer,
        aud: 'relais-api',
        sub: 'f3b1c2d4-idp-user',
        email: anne.email,
        email_verified: true,
      }),
    ]);
  });

  it('discovers the key set once and reuses it', async () => {
    const verifier = aVerifier();
    const before = provider.requests.length;

    await verifier.verify(await provider.sign(providerKey));
    await verifier.verify(await provider.sign(providerKey));
    await verifier.verify(await provider.sign(providerKey));

    expect(provider.requests.slice(before)).toEqual([
      '/.well-known/openid-configuration',
      '/protocol/certs',
    ]);
  });

  it('uses a configured key set address without discovery', async () => {
    const verifier = aVerifier({ jwksUrl: provider.jwksUrl });
    const before = provider.requests.length;

    await expect(verifier.verify(await provider.sign(providerKey))).resolves.toEqual(anne);

    expect(provider.requests.slice(before)).toEqual(['/protocol/certs']);
  });

  it('refuses a token meant for another audience', async () => {
    const token = await provider.sign(providerKey, {}, { audience: 'another-app' });

    expect(await invalidTokenReasonOf(aVerifier().verify(token))).toBe('wrong_audience');
  });

  it('refuses a token from another issuer', async () => {
    const token = await provider.sign(providerKey, {}, { issuer: 'https://idp.example.org' });

    expect(await invalidTokenReasonOf(aVerifier().verify(token))).toBe('wrong_issuer');
  });

  it('refuses a token signed by another key under a published key id', async () => {
    const impostor = await aSigningKey(providerKey.kid);
    const token = await provider.sign(impostor);

    expect(await invalidTokenReasonOf(aVerifier().verify(token))).toBe('bad_signature');
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    const token = await provider.sign(await aSigningKey('unpublished-key'));

    expect(await invalidTokenReasonOf(aVerifier().verify(token))).toBe('unknown_key');
  });

  it('refuses a token signed with a shared secret', async () => {
    const token = await new SignJWT({ email: anne.email })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(provider.issuer)
      .setAudience('relais-api')
      .setExpirationTime('5m')
      .sign(randomBytes(32));

    expect(await invalidTokenReasonOf(aVerifier().verify(token))).toBe('wrong_algorithm');
  });

  it('refuses an expired token', async () => {
    const token = await provider.sign(providerKey);
    const inTenMinutes = new Date(Date.now() + 10 * 60 * 1000);

    expect(await invalidTokenReasonOf(aVerifier({ now: () => inTenMinutes }).verify(token))).toBe(
      'expired',
    );
  });

  it('refuses a valid token for which no member of staff exists', async () => {
    const token = await provider.sign(providerKey, { email: 'stranger@example.org' });

    expect(await invalidTokenReasonOf(aVerifier().verify(token))).toBe('unknown_user');
  });

  it('refuses garbage without contacting the provider', async () => {
    const before = provider.requests.length;

    expect(await invalidTokenReasonOf(aVerifier().verify('garbage'))).toBe('malformed');
    expect(provider.requests.length).toBe(before);
  });

  it('reports an unreachable provider as unavailable, not as a bad token', async () => {
    const verifier = aVerifier({ issuer: await aClosedAddress(), timeoutMs: 1000 });
    const token = await provider.sign(providerKey);

    await expect(verifier.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
  });

  it('refuses a discovery document naming another issuer', async () => {
    const verifier = aVerifier({ issuer: `${provider.issuer}/` });
    const token = await provider.sign(providerKey, {}, { issuer: `${provider.issuer}/` });

    await expect(verifier.verify(token)).rejects.toThrow(/names issuer/);
  });
});
