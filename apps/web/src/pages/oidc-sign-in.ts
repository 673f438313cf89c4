import type { ProviderReturn, SignInOptions } from '@relais/wire';
import { randomString, s256 } from './pkce.js';

/** The sign-in this tab started at the provider: what only it knows, until the provider answers. */
interface Pending {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly next: string;
}

const PENDING = 'relais.oidc.pending';
export const OIDC_CALLBACK_PATH = '/auth/callback';

/** Sends the tab to the provider: authorization code, PKCE S256, a fresh state and nonce. */
export async function startProviderSignIn(
  provider: NonNullable<SignInOptions['provider']>,
  next: string,
): Promise<void> {
  const pending: Pending = {
    state: randomString(),
    nonce: randomString(),
    codeVerifier: randomString(),
    redirectUri: `${location.origin}${OIDC_CALLBACK_PATH}`,
    next,
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(provider.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: pending.redirectUri,
    scope: provider.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await s256(pending.codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * The provider's answer, if it belongs to the sign-in this tab started (its state): the pending
 * sign-in is used up either way, so an answer is never accepted twice.
 */
export function providerReturn(
  query: URLSearchParams,
): { back: ProviderReturn; next: string } | 'no-code' | 'refused' | 'not-ours' {
  let pending: Pending | undefined;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as Pending | undefined;
  } catch {
    pending = undefined;
  }
  sessionStorage.removeItem(PENDING);
  if (query.get('error')) return 'refused';
  const code = query.get('code');
  if (!code) return 'no-code';
  if (!pending || query.get('state') !== pending.state) return 'not-ours';
  return {
    back: {
      code,
      codeVerifier: pending.codeVerifier,
      redirectUri: pending.redirectUri,
      nonce: pending.nonce,
    },
    next: pending.next,
  };
}
