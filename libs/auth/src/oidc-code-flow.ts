import type { OidcVerifier } from './oidc-verifier';
import type { Principal } from './principal';
import { IdentityProviderUnavailableError, InvalidTokenError } from './token-verifier';

/** What the browser brings back from the provider, with the secrets only its tab held. */
export interface CodeReturn {
  readonly code: string;
  /** The PKCE verifier whose S256 challenge went with the authorization request. */
  readonly codeVerifier: string;
  readonly redirectUri: string;
  /** The nonce the authorization request carried: the ID token must carry it back. */
  readonly nonce: string;
}

export interface SignedIn {
  readonly accessToken: string;
  readonly principal: Principal;
  /** When the provider said the access token expires; absent when it did not say. */
  readonly expiresInSeconds: number | undefined;
}

/**
 * The server's half of the authorization code flow (a public client with PKCE): the code is
 * exchanged at the provider's token endpoint, the ID token's signature, audience and nonce are
 * checked, and the access token is checked as every bearer token is.
 */
export class OidcCodeFlow {
  constructor(
    private readonly verifier: OidcVerifier,
    readonly clientId: string,
    private readonly timeoutMs = 5000,
  ) {}

  async authorizationEndpoint(): Promise<string> {
    const { authorizationEndpoint } = await this.verifier.discovery();
    if (!authorizationEndpoint)
      throw new IdentityProviderUnavailableError('the provider names no authorization_endpoint');
    return authorizationEndpoint;
  }

  async exchange(back: CodeReturn): Promise<SignedIn> {
    const { tokenEndpoint } = await this.verifier.discovery();
    if (!tokenEndpoint)
      throw new IdentityProviderUnavailableError('the provider names no token_endpoint');
    let response: Response;
    try {
      response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: back.code,
          redirect_uri: back.redirectUri,
          client_id: this.clientId,
          code_verifier: back.codeVerifier,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new IdentityProviderUnavailableError(`${tokenEndpoint} could not be reached`, {
        cause: error,
      });
    }
    if (response.status >= 500)
      throw new IdentityProviderUnavailableError(`${tokenEndpoint} answered ${response.status}`);
    // 4xx: the code is unknown, used, or not this verifier's: the sign-in is refused.
    if (!response.ok) throw new InvalidTokenError('invalid_claims');
    const answer = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      id_token?: unknown;
      expires_in?: unknown;
    };
    if (typeof answer.access_token !== 'string' || typeof answer.id_token !== 'string')
      throw new InvalidTokenError('malformed');
    await this.verifier.verifyIdToken(answer.id_token, this.clientId, back.nonce);
    const principal = await this.verifier.verify(answer.access_token);
    const expires = Number(answer.expires_in);
    return {
      accessToken: answer.access_token,
      principal,
      expiresInSeconds: Number.isFinite(expires) && expires > 0 ? Math.floor(expires) : undefined,
    };
  }
}
