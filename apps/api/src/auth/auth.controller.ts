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
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  LocalTokens,
  LoginRateLimiter,
  Principal,
  Public,
  verifyPassword,
} from '@relais/auth';
import { LOCAL_TOKENS } from '@relais/platform';
import { Credentials, NetworkQueries, StaffAccounts } from '@relais/read-models';
import { grantableRoles } from '@relais/domain';
import type { Me } from '@relais/wire';
import type { Request, Response } from 'express';
import { TokenDto, TokenRequestDto } from './auth.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly network: NetworkQueries,
    private readonly accounts: StaffAccounts,
    private readonly credentials: Credentials,
    private readonly limiter: LoginRateLimiter,
    @Inject(LOCAL_TOKENS) private readonly tokens: LocalTokens | null,
  ) {}

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
