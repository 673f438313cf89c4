import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { toInvalidTokenError } from './jose-errors';
import type { Principal } from './principal';
import {
  IdentityProviderUnavailableError,
  InvalidTokenError,
  type TokenVerifier,
} from './token-verifier';

export interface OidcVerifierOptions {
  /** Exactly as the provider writes it in the `iss` claim. */
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** Absent: read `jwks_uri` from the issuer's `/.well-known/openid-configuration`, once. */
  readonly jwksUrl?: string;
  /** Maps verified claims to a member of staff; undefined when there is none. */
  readonly resolvePrincipal: (claims: JWTPayload) => Promise<Principal | undefined>;
  /** Accepted drift between the provider's clock and ours. */
  readonly clockToleranceSeconds?: number;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/** Asymmetric algorithms only: an HMAC key would have to be shared with every relying party. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Verifies bearer tokens from a production OpenID Connect provider against its published keys. */
export class OidcVerifier implements TokenVerifier {
  private readonly options: OidcVerifierOptions;
  private readonly timeoutMs: number;
  private keySet: Promise<JWTVerifyGetKey> | undefined;
  private discovered: Promise<Discovery> | undefined;

  constructor(options: OidcVerifierOptions) {
    httpUrl(options.issuer, 'issuer');
    if (options.jwksUrl !== undefined) httpUrl(options.jwksUrl, 'jwksUrl');
    const audiences = typeof options.audience === 'string' ? [options.audience] : options.audience;
    if (audiences.length === 0 || audiences.some((a) => a.length === 0)) {
      throw new RangeError('OIDC audience must not be empty');
    }
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async verify(token: string): Promise<Principal> {
    const { issuer, audience, clockToleranceSeconds, now } = this.options;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer,
        audience: typeof audience === 'string' ? audience : [...audience],
        algorithms: ALGORITHMS,
        clockTolerance: clockToleranceSeconds ?? 30,
        requiredClaims: ['exp'],
        ...(now === undefined ? {} : { currentDate: now() }),
      }));
    } catch (error) {
      if (error instanceof IdentityProviderUnavailableError) throw error;
      const invalid = toInvalidTokenError(error);
      if (invalid !== undefined) throw invalid;
      throw new IdentityProviderUnavailableError('the signing keys could not be fetched', {
        cause: error,
      });
    }
    const principal = await this.options.resolvePrincipal(payload);
    if (principal === undefined) throw new InvalidTokenError('unknown_user');
    return principal;
  }

  /** Keys are looked up only for well-formed tokens, so garbage never reaches the provider. */
  private readonly key: JWTVerifyGetKey = async (header, jws) => {
    this.keySet ??= this.loadKeySet().catch((error: unknown) => {
      this.keySet = undefined;
      throw error;
    });
    const getKey = await this.keySet;
    return getKey(header, jws);
  };

  /**
   * An ID token from this provider for `clientId`, carrying the nonce the sign-in sent: a token
   * minted for another sign-in (a replayed or injected response) is refused.
   */
  async verifyIdToken(idToken: string, clientId: string, nonce: string): Promise<JWTPayload> {
    const { issuer, clockToleranceSeconds, now } = this.options;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.key, {
        issuer,
        audience: clientId,
        algorithms: ALGORITHMS,
        clockTolerance: clockToleranceSeconds ?? 30,
        requiredClaims: ['exp', 'iat', 'sub'],
        ...(now === undefined ? {} : { currentDate: now() }),
      }));
    } catch (error) {
      if (error instanceof IdentityProviderUnavailableError) throw error;
      throw toInvalidTokenError(error) ?? new InvalidTokenError('malformed');
    }
    if (payload.nonce !== nonce) throw new InvalidTokenError('invalid_claims');
    return payload;
  }

  /** The provider's discovery document, read once. */
  discovery(): Promise<Discovery> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }

  private async loadKeySet(): Promise<JWTVerifyGetKey> {
    const url = this.options.jwksUrl ?? (await this.discovery()).jwksUri;
    return createRemoteJWKSet(new URL(url), { timeoutDuration: this.timeoutMs });
  }

  private async discover(): Promise<Discovery> {
    const { issuer } = this.options;
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: unknown;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        throw new IdentityProviderUnavailableError(`${url} answered ${response.status}`);
      }
      document = await response.json();
    } catch (error) {
      if (error instanceof IdentityProviderUnavailableError) throw error;
      throw new IdentityProviderUnavailableError(`${url} could not be read`, { cause: error });
    }
    if (typeof document !== 'object' || document === null) {
      throw new IdentityProviderUnavailableError(`${url} is not a discovery document`);
    }
    const discovered = document as {
      issuer?: unknown;
      jwks_uri?: unknown;
      authorization_endpoint?: unknown;
      token_endpoint?: unknown;
    };
    if (discovered.issuer !== issuer) {
      throw new IdentityProviderUnavailableError(
        `${url} names issuer ${String(discovered.issuer)}, expected ${issuer}`,
      );
    }
    if (typeof discovered.jwks_uri !== 'string' || !isHttpUrl(discovered.jwks_uri)) {
      throw new IdentityProviderUnavailableError(`${url} has no usable jwks_uri`);
    }
    const endpoint = (value: unknown) =>
      typeof value === 'string' && isHttpUrl(value) ? value : undefined;
    return {
      jwksUri: discovered.jwks_uri,
      authorizationEndpoint: endpoint(discovered.authorization_endpoint),
      tokenEndpoint: endpoint(discovered.token_endpoint),
    };
  }
}

/** What Relais reads of a provider's `/.well-known/openid-configuration`. */
export interface Discovery {
  readonly jwksUri: string;
  readonly authorizationEndpoint: string | undefined;
  readonly tokenEndpoint: string | undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function httpUrl(value: string, name: string): void {
  if (!isHttpUrl(value))
    throw new RangeError(`OIDC ${name} must be an http(s) URL, got "${value}"`);
}
