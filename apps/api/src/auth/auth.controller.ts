import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
  Post,
  ServiceUnavailableException,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  clearedSessionCookie,
  CurrentPrincipal,
  IdentityProviderUnavailableError,
  InvalidTokenError,
  LocalTokens,
  LoginRateLimiter,
  OidcCodeFlow,
  Principal,
  Public,
  sessionCookie,
  verifyPassword,
} from '@relais/auth';
import { CLOCK, Clock, LOCAL_TOKENS, OIDC_CODE_FLOW, SECURE_COOKIES } from '@relais/platform';
import { Credentials, NetworkQueries, StaffAccounts } from '@relais/read-models';
import { grantableRoles } from '@relais/domain';
import type { Me, SignInOptions } from '@relais/wire';
import type { Request, Response } from 'express';
import { ProviderReturnDto, TokenDto, TokenRequestDto } from './auth.dto';

/** A provider that does not say how long its token lasts: the session ends after an hour. */
const DEFAULT_PROVIDER_SESSION_SECONDS = 3600;

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly network: NetworkQueries,
    private readonly accounts: StaffAccounts,
    private readonly credentials: Credentials,
    private readonly limiter: LoginRateLimiter,
    @Inject(LOCAL_TOKENS) private readonly tokens: LocalTokens | null,
    @Inject(OIDC_CODE_FLOW) private readonly provider: OidcCodeFlow | null,
    @Inject(SECURE_COOKIES) private readonly secureCookies: boolean,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Anyone: the login page asks how people sign in here. */
  @Public()
  @Get('auth/options')
  async options(): Promise<SignInOptions> {
    let provider: SignInOptions['provider'] = null;
    if (this.provider) {
      try {
        provider = {
          authorizationEndpoint: await this.provider.authorizationEndpoint(),
          clientId: this.provider.clientId,
          scope: 'openid email',
        };
      } catch (error) {
        if (!(error instanceof IdentityProviderUnavailableError)) throw error;
      }
    }
    return { localAccounts: this.tokens !== null, provider };
  }

  /**
   * Anyone coming back from the provider: the code is exchanged with the tab's PKCE verifier,
   * the ID token must carry the tab's nonce, and the session cookie is set.
   */
  @Public()
  @Post('auth/oidc')
  @HttpCode(HttpStatus.OK)
  async signInWithProvider(
    @Body() body: ProviderReturnDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ expiresAt: string }> {
    if (!this.provider)
      throw new NotFoundException('No identity provider is configured for the login page');
    let signedIn: Awaited<ReturnType<OidcCodeFlow['exchange']>>;
    try {
      signedIn = await this.provider.exchange(body);
    } catch (error) {
      if (error instanceof InvalidTokenError)
        throw new UnauthorizedException({
          message: `The identity provider's answer was refused: ${error.message}`,
          code: 'PROVIDER_SIGN_IN_REFUSED',
        });
      if (error instanceof IdentityProviderUnavailableError)
        throw new ServiceUnavailableException('The identity provider cannot be reached', {
          cause: error,
        });
      throw error;
    }
    const seconds = signedIn.expiresInSeconds ?? DEFAULT_PROVIDER_SESSION_SECONDS;
    response.setHeader(
      'Set-Cookie',
      sessionCookie(signedIn.accessToken, seconds, this.secureCookies),
    );
    return { expiresAt: new Date(this.clock.now().getTime() + seconds * 1000).toISOString() };
  }

  /** Anyone: ends the browser's session (its cookie); a bearer token ends only with its expiry. */
  @Public()
  @Post('auth/sign-out')
  @HttpCode(HttpStatus.NO_CONTENT)
  signOut(@Res({ passthrough: true }) response: Response): void {
    response.setHeader('Set-Cookie', clearedSessionCookie(this.secureCookies));
  }

  @Public()
  @Post('auth/token')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenDto })
  async token(
    @Body() body: TokenRequestDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenDto> {
    if (!this.tokens)
      throw new NotFoundException('Local accounts are off: sign in with the identity provider');
    const attempt = { email: body.email, address: request.ip ?? '' };
    const decision = await this.limiter.attempt(attempt);
    if (!decision.allowed) {
      response.setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw new HttpException(
        {
          message: `Too many failed attempts: try again in ${decision.retryAfterSeconds} s`,
          code: 'TOO_MANY_ATTEMPTS',
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const staff = await this.accounts.byEmail(body.email);
    // Unknown e-mails cost the same hashing work, so timing does not tell which accounts exist.
    const hash = staff ? await this.credentials.hashOf(staff.staffId) : undefined;
    if (!(await verifyPassword(body.password, hash)) || !staff) {
      throw new UnauthorizedException({
        message: 'Unknown e-mail or wrong password',
        code: 'INVALID_CREDENTIALS',
      });
    }
    await this.limiter.succeeded(attempt);
    // Said only to whoever knows the password: the account exists, and is closed.
    if (staff.status !== 'active') {
      throw new ForbiddenException({
        message: 'This account has been deactivated: ask your administrator',
        code: 'ACCOUNT_DEACTIVATED',
      });
    }
    const issued = await this.tokens.issue({
      staffId: staff.staffId,
      organisationId: staff.organisationId,
      roles: staff.roles,
      email: staff.email,
      name: staff.name,
    });
    response.setHeader(
      'Set-Cookie',
      sessionCookie(
        issued.accessToken,
        (issued.expiresAt.getTime() - this.clock.now().getTime()) / 1000,
        this.secureCookies,
      ),
    );
    return {
      accessToken: issued.accessToken,
      tokenType: 'Bearer',
      expiresAt: issued.expiresAt.toISOString(),
    };
  }

  @Get('me')
  @ApiBearerAuth()
  async me(@CurrentPrincipal() principal: Principal): Promise<Me> {
    const organisation = await this.network.organisation(principal.organisationId);
    return {
      ...principal,
      organisation: organisation ?? null,
      grantableRoles: grantableRoles(principal.roles),
    };
  }
}
