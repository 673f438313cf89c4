import { errors } from 'jose';
import { InvalidTokenError, type InvalidTokenReason } from './token-verifier';

/** The reason behind a jose verification error, or undefined when it is not about the token. */
export function invalidTokenReason(error: unknown): InvalidTokenReason | undefined {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return 'wrong_issuer';
      case 'aud':
        return 'wrong_audience';
      case 'nbf':
      case 'iat':
        return error.reason === 'check_failed' ? 'not_yet_valid' : 'invalid_claims';
      default:
        return 'invalid_claims';
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'unknown_key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'wrong_algorithm';
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return 'malformed';
  }
  return undefined;
}

export function toInvalidTokenError(error: unknown): InvalidTokenError | undefined {
  const reason = invalidTokenReason(error);
  return reason === undefined ? undefined : new InvalidTokenError(reason);
}
