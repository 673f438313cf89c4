import {
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { IS_PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './auth.decorators';
import type { Principal, Role } from './principal';
import { sessionTokenOf } from './session-cookie';
import {
  IdentityProviderUnavailableError,
  InvalidTokenError,
  type TokenVerifier,
} from './token-verifier';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

const REALM = 'relais';
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Every route needs a valid bearer token unless marked `@Public()`; `@Roles(...)` then narrows it.
 * Register it once as `APP_GUARD` so a forgotten decorator fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true) {
      return true;
    }
    // Only HTTP carries a bearer token; any other transport is refused until it is designed for.
    if (context.getType() !== 'http') return false;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<Response>();
    const principal = await this.authenticate(request, response);
    request.principal = principal;
    const required = this.reflector.getAllAndOverride<readonly Role[] | undefined>(
      ROLES_KEY,
      targets,
    );
    if (required !== undefined && !required.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenException(`This action needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }

  private async authenticate(
    request: AuthenticatedRequest,
    response: Response,
  ): Promise<Principal> {
    const header = request.headers.authorization;
    const session = header === undefined ? sessionTokenOf(request.headers) : undefined;
    if (session !== undefined) return this.verified(response, session);
    if (header === undefined || header.trim() === '') {
      response.setHeader('WWW-Authenticate', `Bearer realm="${REALM}"`);
      throw new UnauthorizedException('A bearer token is required: Authorization: Bearer <token>');
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      return this.reject(
        response,
        'invalid_request',
        'The Authorization header is not a bearer token',
      );
    }
    return this.verified(response, token);
  }

  private async verified(response: Response, token: string): Promise<Principal> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        return this.reject(response, 'invalid_token', `Invalid bearer token: ${error.message}`);
      }
      if (error instanceof IdentityProviderUnavailableError) {
        throw new ServiceUnavailableException('The identity provider cannot be reached', {
          cause: error,
        });
      }
      throw error;
    }
  }

  private reject(response: Response, code: string, description: string): never {
    response.setHeader(
      'WWW-Authenticate',
      `Bearer realm="${REALM}", error="${code}", error_description="${description}"`,
    );
    throw new UnauthorizedException(description);
  }
}
