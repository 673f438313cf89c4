import {
  createParamDecorator,
  SetMetadata,
  UnauthorizedException,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Principal, Role } from './principal';

export const IS_PUBLIC_KEY = 'relais:auth:public';
export const ROLES_KEY = 'relais:auth:roles';

/** A request that went through `AuthGuard` on a protected route. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** Opens a route or controller to callers without a token (token issue, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Admits a principal holding at least one of these roles; others get 403. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (principal === undefined) throw new UnauthorizedException('No authenticated principal');
    return principal;
  },
);
