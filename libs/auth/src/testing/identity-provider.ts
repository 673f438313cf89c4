import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
}

export async function aSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, publicKey };
}

/** A real OpenID Connect provider on 127.0.0.1 serving discovery and one JWKS. */
export class TestIdentityProvider {
  /** Paths requested so far, in order. */
  readonly requests: string[] = [];
  private readonly server: Server = createServer((request, response) => {
    const path = request.url ?? '';
    this.requests.push(path);
    const body =
      path === '/.well-known/openid-configuration'
        ? { issuer: this.issuer, jwks_uri: this.jwksUrl }
        : path === '/protocol/certs'
          ? { keys: this.publishedKeys }
          : undefined;
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  private publishedKeys: JWK[] = [];
  private port = 0;

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get jwksUrl(): string {
    return `${this.issuer}/protocol/certs`;
  }

  static async start(keys: readonly SigningKey[]): Promise<TestIdentityProvider> {
    const provider = new TestIdentityProvider();
    provider.publishedKeys = await Promise.all(
      keys.map(async (key) => ({
        ...(await exportJWK(key.publicKey)),
        kid: key.kid,
        alg: 'RS256',
        use: 'sig',
      })),
    );
    await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
    provider.port = (provider.server.address() as AddressInfo).port;
    return provider;
  }

  /** Signs an access token as this provider would, unless the overrides say otherwise. */
  sign(
    key: SigningKey,
    claims: JWTPayload = {},
    options: { issuer?: string; audience?: string; expiresIn?: string } = {},
  ): Promise<string> {
    return new SignJWT({ email: 'anne.dupont@cpas-namur.be', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? 'relais-api')
      .setSubject('f3b1c2d4-idp-user')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(key.privateKey);
  }

  stop(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}

/** An address where nothing listens. */
export async function aClosedAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
