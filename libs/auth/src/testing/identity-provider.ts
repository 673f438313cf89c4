import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** What the provider's token endpoint said to one exchange of a code. */
export interface CodeExchange {
  readonly accepted: boolean;
  readonly reason?: string;
}

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly nonce: string | undefined;
  readonly email: string;
}

/**
 * A real OpenID Connect provider on 127.0.0.1 serving discovery, one JWKS, and the authorization
 * code flow with PKCE (S256 only): `/authorize` signs in `signInAs` without asking, as a provider
 * with a session would, and `/token` exchanges the code once for an access token (audience
 * `relais-api`) and an ID token carrying the nonce.
 */
export class TestIdentityProvider {
  /** Paths requested so far, in order. */
  readonly requests: string[] = [];
  /** The query of every authorization request. */
  readonly authorizations: URLSearchParams[] = [];
  readonly exchanges: CodeExchange[] = [];
  /** Whom `/authorize` signs in. */
  signInAs = 'as@cpas-ciney.demo';
  /** Set: the ID token carries this nonce instead of the one asked for (a replayed response). */
  nonceOverride: string | undefined;
  private readonly codes = new Map<string, IssuedCode>();
  private signingKey: SigningKey | undefined;
  private readonly server: Server = createServer((request, response) => {
    const path = request.url ?? '';
    this.requests.push(path);
    const { pathname, searchParams } = new URL(path, this.issuer);
    if (pathname === '/protocol/auth') return this.authorize(searchParams, response);
    if (pathname === '/protocol/token' && request.method === 'POST')
      return void this.token(request, response);
    const body =
      pathname === '/.well-known/openid-configuration'
        ? {
            issuer: this.issuer,
            jwks_uri: this.jwksUrl,
            authorization_endpoint: `${this.issuer}/protocol/auth`,
            token_endpoint: `${this.issuer}/protocol/token`,
            response_types_supported: ['code'],
            code_challenge_methods_supported: ['S256'],
          }
        : pathname === '/protocol/certs'
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
    provider.signingKey = keys[0];
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

  private authorize(query: URLSearchParams, response: ServerResponse): void {
    this.authorizations.push(query);
    const redirectUri = query.get('redirect_uri') ?? '';
    const challenge = query.get('code_challenge');
    if (
      query.get('response_type') !== 'code' ||
      !query.get('client_id') ||
      !redirectUri.startsWith('http') ||
      !challenge ||
      query.get('code_challenge_method') !== 'S256'
    ) {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('invalid_request: the code flow with PKCE (S256) is required');
      return;
    }
    const code = randomBytes(16).toString('base64url');
    this.codes.set(code, {
      clientId: query.get('client_id') ?? '',
      redirectUri,
      challenge,
      nonce: query.get('nonce') ?? undefined,
      email: this.signInAs,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    response.writeHead(302, { location: back.toString() });
    response.end();
  }

  private async token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of request) raw += String(chunk);
    const form = new URLSearchParams(raw);
    const refuse = (reason: string) => {
      this.exchanges.push({ accepted: false, reason });
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'invalid_grant', error_description: reason }));
    };
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (form.get('grant_type') !== 'authorization_code') return refuse('grant_type');
    if (!issued) return refuse('unknown or used code');
    if (form.get('client_id') !== issued.clientId) return refuse('client_id');
    if (form.get('redirect_uri') !== issued.redirectUri) return refuse('redirect_uri');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge)
      return refuse('code_verifier');
    const key = this.signingKey;
    if (!key) return refuse('no signing key');
    const accessToken = await this.sign(key, { email: issued.email });
    const nonce = this.nonceOverride ?? issued.nonce;
    const idToken = await new SignJWT({ email: issued.email, ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(issued.clientId)
      .setSubject('f3b1c2d4-idp-user')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);
    this.exchanges.push({ accepted: true });
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(
      JSON.stringify({
        access_token: accessToken,
        id_token: idToken,
        token_type: 'Bearer',
        expires_in: 300,
      }),
    );
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
