import type { Principal } from './principal';

export type InvalidTokenReason =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'unknown_key'
  | 'wrong_algorithm'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims'
  | 'unknown_user'
  | 'account_deactivated';

const DESCRIPTIONS: Readonly<Record<InvalidTokenReason, string>> = {
  malformed: 'the token is not a well-formed JWT',
  expired: 'the token has expired',
  not_yet_valid: 'the token is not valid yet',
  bad_signature: 'the token signature does not verify',
  unknown_key: 'the token is signed with an unknown key',
  wrong_algorithm: 'the token is signed with an algorithm that is not accepted',
  wrong_issuer: 'the token comes from another issuer',
  wrong_audience: 'the token is meant for another audience',
  invalid_claims: 'the token claims are missing or invalid',
  unknown_user: 'no member of staff matches the token',
  account_deactivated: 'the account has been deactivated',
};

/** The token must not be trusted. `message` is safe to show to the caller. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: InvalidTokenReason) {
    super(DESCRIPTIONS[reason]);
    this.name = 'InvalidTokenError';
  }
}

/** The identity provider could not be reached, so no token can be checked right now. */
export class IdentityProviderUnavailableError extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`Identity provider unavailable: ${detail}`, options);
    this.name = 'IdentityProviderUnavailableError';
  }
}

export interface TokenVerifier {
  /** Resolves the principal, or rejects with `InvalidTokenError`. */
  verify(token: string): Promise<Principal>;
}
