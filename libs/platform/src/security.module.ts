import { DynamicModule, Global, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AccessChain, AccessLog } from '@relais/access-log';
import {
  AuthGuard,
  InvalidTokenError,
  LocalTokens,
  Principal,
  LoginRateLimiter,
  OidcCodeFlow,
  OidcVerifier,
  PasswordPolicy,
  TOKEN_VERIFIER,
  TokenVerifier,
} from '@relais/auth';
import { isDemo, RelaisConfig } from '@relais/config';
import { Database } from '@relais/database';
import { WebhookRegistry } from '@relais/delivery';
import { CompetenceDirectory, dinantNetwork } from '@relais/network';
import { NetworkQueries, StaffAccount, StaffAccounts } from '@relais/read-models';
import { SubjectVault, UnconfirmedSubjects, VaultKeyring } from '@relais/vault';
import { AccessLogging, AccessLogInterceptor, AccessPurposeGuard } from './access-logging';
import { CLOCK, Clock, systemClock } from '@relais/kernel';
import { ParameterCharactersPipe } from './parameter-characters.pipe';
import { InvalidInputException, ProblemDetailsFilter } from './problem-details.filter';
import { RequestBodyGuard } from './request-body';
import { RelaisSecrets } from './secrets';
import { RequestFingerprints } from './request-fingerprints';

export const LOCAL_TOKENS = Symbol('LOCAL_TOKENS');
/** The login page's provider sign-in, or null when OIDC_CLIENT_ID is not set. */
export const OIDC_CODE_FLOW = Symbol('OIDC_CODE_FLOW');
/** Whether the session cookie is `Secure`: people reach Relais over https (PUBLIC_URL). */
export const SECURE_COOKIES = Symbol('SECURE_COOKIES');

export interface CoreOptions {
  readonly config: RelaisConfig;
  readonly secrets: RelaisSecrets;
  readonly clock?: Clock;
}

/**
 * What every role shares: the clock, the vault, the competence directory, and the HTTP rules —
 * a token on every route but the public ones, bodies within their limits, validated input with no
 * NUL or lone surrogate in a parameter, an access-log entry for every call of a route that reads
 * case content, errors as problem+json.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot({ config, secrets, clock = systemClock }: CoreOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: CompetenceDirectory, useFactory: dinantNetwork },
        {
          provide: SubjectVault,
          useFactory: (database: Database) =>
            new SubjectVault(
              database.pool,
              new VaultKeyring(config.vaultKeyring, secrets.vaultKey),
            ),
          inject: [Database],
        },
        {
          provide: UnconfirmedSubjects,
          useFactory: (database: Database) => new UnconfirmedSubjects(database.pool),
          inject: [Database],
        },
        { provide: RequestFingerprints, useValue: new RequestFingerprints(secrets.vaultKey) },
        {
          provide: WebhookRegistry,
          useFactory: (database: Database) => new WebhookRegistry(database.pool, secrets.vaultKey),
          inject: [Database],
        },
        NetworkQueries,
        {
          provide: LOCAL_TOKENS,
          useFactory: () =>
            secrets.tokenSecret
              ? new LocalTokens({ secret: secrets.tokenSecret, now: () => clock.now() })
              : null,
        },
        StaffAccounts,
        {
          provide: TOKEN_VERIFIER,
          useFactory: (local: LocalTokens | null, accounts: StaffAccounts): TokenVerifier => {
            if (local) {
              return {
                verify: async (token) =>
                  principalOf(await accounts.byId((await local.verify(token)).staffId)),
              };
            }
            const oidc = config.oidc;
            if (!oidc) throw new Error('Neither local tokens nor OpenID Connect are configured');
            return new OidcVerifier({
              issuer: oidc.issuer,
              audience: oidc.audience,
              jwksUrl: oidc.jwksUrl,
              resolvePrincipal: async (claims) =>
                typeof claims.email === 'string'
                  ? principalOf(await accounts.byEmail(claims.email))
                  : undefined,
            });
          },
          inject: [LOCAL_TOKENS, StaffAccounts],
        },
        { provide: SECURE_COOKIES, useValue: new URL(config.publicUrl).protocol === 'https:' },
        {
          provide: OIDC_CODE_FLOW,
          useFactory: (verifier: TokenVerifier) =>
            config.oidc?.clientId && verifier instanceof OidcVerifier
              ? new OidcCodeFlow(verifier, config.oidc.clientId)
              : null,
          inject: [TOKEN_VERIFIER],
        },
        {
          provide: LoginRateLimiter,
          useFactory: (database: Database) =>
            new LoginRateLimiter(database.pool, { now: () => clock.now() }),
          inject: [Database],
        },
        {
          provide: PasswordPolicy,
          useValue: new PasswordPolicy(
            isDemo(config)
              ? { accepted: [config.demoPassword] }
              : { refused: [...new Set(['relais-demo', config.demoPassword])] },
          ),
        },
        {
          provide: AccessLog,
          useFactory: (database: Database) =>
            new AccessLog(database.pool, new AccessChain(secrets.vaultKey)),
          inject: [Database],
        },
        AccessLogging,
        // First of the guards: a refusal by the next ones is logged with the route's purpose.
        { provide: APP_GUARD, useClass: AccessPurposeGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RequestBodyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
        { provide: APP_PIPE, useClass: ParameterCharactersPipe },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
            exceptionFactory: (errors) => InvalidInputException.fromValidationErrors(errors),
          }),
        },
      ],
      exports: [
        CLOCK,
        AccessLog,
        CompetenceDirectory,
        SubjectVault,
        UnconfirmedSubjects,
        RequestFingerprints,
        WebhookRegistry,
        NetworkQueries,
        StaffAccounts,
        LOCAL_TOKENS,
        OIDC_CODE_FLOW,
        SECURE_COOKIES,
        TOKEN_VERIFIER,
        LoginRateLimiter,
        PasswordPolicy,
      ],
    };
  }
}

/**
 * A token proves who signed in, not what they may do now: roles and organisation come from the
 * account at each request, and a deactivated account's tokens stop working at once.
 */
function principalOf(account: StaffAccount | undefined): Principal {
  if (account === undefined) throw new InvalidTokenError('unknown_user');
  if (account.status !== 'active') throw new InvalidTokenError('account_deactivated');
  const { staffId, organisationId, roles, email, name } = account;
  return { staffId, organisationId, roles, email, name };
}
