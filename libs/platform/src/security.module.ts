import { DynamicModule, Global, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import {
  AuthGuard,
  LocalTokens,
  LoginRateLimiter,
  OidcVerifier,
  TOKEN_VERIFIER,
  TokenVerifier,
} from '@relais/auth';
import { RelaisConfig } from '@relais/config';
import { Database } from '@relais/database';
import { WebhookRegistry } from '@relais/delivery';
import { CompetenceDirectory, dinantNetwork } from '@relais/network';
import { NetworkQueries } from '@relais/read-models';
import { SubjectVault } from '@relais/vault';
import { CLOCK, Clock, systemClock } from './clock';
import { ParameterCharactersPipe } from './parameter-characters.pipe';
import { InvalidInputException, ProblemDetailsFilter } from './problem-details.filter';
import { RequestBodyGuard } from './request-body';
import { RelaisSecrets } from './secrets';

export const LOCAL_TOKENS = Symbol('LOCAL_TOKENS');

export interface CoreOptions {
  readonly config: RelaisConfig;
  readonly secrets: RelaisSecrets;
  readonly clock?: Clock;
}

/**
 * What every role shares: the clock, the vault, the competence directory, and the HTTP rules —
 * a token on every route but the public ones, bodies within their limits, validated input with no
 * NUL or lone surrogate in a parameter, errors as problem+json.
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
          useFactory: (database: Database) => new SubjectVault(database.pool, secrets.vaultKey),
          inject: [Database],
        },
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
        {
          provide: TOKEN_VERIFIER,
          useFactory: (local: LocalTokens | null, network: NetworkQueries): TokenVerifier => {
            if (local) return local;
            const oidc = config.oidc;
            if (!oidc) throw new Error('Neither local tokens nor OpenID Connect are configured');
            return new OidcVerifier({
              issuer: oidc.issuer,
              audience: oidc.audience,
              jwksUrl: oidc.jwksUrl,
              resolvePrincipal: async (claims) => {
                const email = typeof claims.email === 'string' ? claims.email : undefined;
                const staff = email ? await network.staffByEmail(email) : undefined;
                return (
                  staff && {
                    staffId: staff.id,
                    organisationId: staff.organisationId,
                    roles: staff.roles,
                    email: staff.email,
                    name: staff.name,
                  }
                );
              },
            });
          },
          inject: [LOCAL_TOKENS, NetworkQueries],
        },
        { provide: LoginRateLimiter, useValue: new LoginRateLimiter() },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RequestBodyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
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
        CompetenceDirectory,
        SubjectVault,
        WebhookRegistry,
        NetworkQueries,
        LOCAL_TOKENS,
        TOKEN_VERIFIER,
        LoginRateLimiter,
      ],
    };
  }
}
