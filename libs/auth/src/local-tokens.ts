import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { toInvalidTokenError } from './jose-errors';
import { isRole, type Principal, type Role } from './principal';
import { InvalidTokenError, type TokenVerifier } from './token-verifier';

export interface LocalTokensOptions {
  /** HMAC key, at least 32 random bytes. */
  readonly secret: Uint8Array;
  readonly issuer?: string;
  readonly ttlSeconds?: number;
  readonly now?: () => Date;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresAt: Date;
  readonly tokenType: 'Bearer';
}

const ALGORITHM = 'HS256';
const MIN_SECRET_BYTES = 32;
const EIGHT_HOURS = 8 * 60 * 60;

/** Bearer tokens for local accounts: Relais signs them itself (HS256) and checks them. */
export class LocalTokens implements TokenVerifier {
  private readonly secret: Uint8Array;
  private readonly issuer: string;
  private readonly ttlSeconds: number;
  private readonly now: () => Date;

  constructor(options: LocalTokensOptions) {
    if (options.secret.byteLength < MIN_SECRET_BYTES) {
      throw new RangeError(`The token secret must be at least ${MIN_SECRET_BYTES} bytes long`);
    }
    const ttlSeconds = options.ttlSeconds ?? EIGHT_HOURS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError(`The token lifetime must be a positive whole number of seconds`);
    }
    this.secret = options.secret;
    this.issuer = options.issuer ?? 'relais';
    this.ttlSeconds = ttlSeconds;
    this.now = options.now ?? (() => new Date());
  }

  async issue(principal: Principal): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const claims: LocalClaims = {
      org: principal.organisationId,
      roles: [...principal.roles],
      email: principal.email,
      ...(principal.name === undefined ? {} : { name: principal.name }),
    };
    const accessToken = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(principal.staffId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.secret);
    return { accessToken, expiresAt: new Date(expiresAt * 1000), tokenType: 'Bearer' };
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.secret, {
        issuer: this.issuer,
        algorithms: [ALGORITHM],
        currentDate: this.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      throw toInvalidTokenError(error) ?? new InvalidTokenError('malformed');
    }
    return principalFromClaims(payload);
  }
}

interface LocalClaims {
  readonly org: string;
  readonly roles: Role[];
  readonly email: string;
  readonly name?: string;
}

function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, org, roles, email, name } = payload;
  if (!nonEmptyString(sub) || !nonEmptyString(org) || !nonEmptyString(email)) {
    throw new InvalidTokenError('invalid_claims');
  }
  if (!Array.isArray(roles) || !roles.every(isRole)) throw new InvalidTokenError('invalid_claims');
  if (name !== undefined && typeof name !== 'string') throw new InvalidTokenError('invalid_claims');
  return {
    staffId: sub,
    organisationId: org,
    roles,
    email,
    ...(name === undefined ? {} : { name }),
  };
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
