import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { InvalidTokenException, MalformedAuthRequestException, MissingTokenException } from '../errors/auth.exceptions';
import type { AuthResponse } from '../http/auth-request';
import { withChallenge } from '../http/bearer-challenge';
import { MULTI_TOKEN_BEARER, RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { ClientThrottlerGuard } from '../throttling/client-throttler.guard';
import { ClientAccessGuard } from './client-access.guard';
import { authorizeAuthenticated, needsNoAuthentication } from './guard-steps';

/**
 * What `AuthGuard('multi-token-bearer')` gives the class below, in the library's own types: the
 * published declarations then need no Passport types (`@nestjs/passport` 12's need `@types/passport`).
 */
interface PassportGuardBase extends CanActivate {
  canActivate(context: ExecutionContext): Promise<boolean>;
  handleRequest<U>(error: unknown, user: U, info: unknown, context: ExecutionContext, status?: unknown): U;
  getRequest(context: ExecutionContext): unknown;
}
// @nestjs/passport types canActivate as CanActivate's union; its implementation is an async method.
const BearerAuthGuard = AuthGuard(MULTI_TOKEN_BEARER) as new () => PassportGuardBase;

/**
 * `AuthGuard('multi-token-bearer')` with the same answers as `MultiTokenAuthGuard` (RFC 6750
 * challenges, client check, rate limit). Slower per request (the Passport wrapper), so prefer
 * `MultiTokenAuthGuard` unless you compose strategies.
 */
@Injectable()
export class PassportBearerAuthGuard extends BearerAuthGuard {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly clientAccess: ClientAccessGuard,
    protected readonly throttler: ClientThrottlerGuard,
    @Inject(RESOLVED_OPTIONS) protected readonly options: ResolvedOptions,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (needsNoAuthentication(this.reflector, context)) return true;
    await super.canActivate(context);
    return authorizeAuthenticated(context, this.clientAccess, this.throttler);
  }

  override handleRequest<U>(error: unknown, user: U, _info: unknown, context: ExecutionContext, status?: unknown): U {
    const res = context.switchToHttp().getResponse<AuthResponse>();
    if (error instanceof Error) throw withChallenge(error, res, this.options.realm);
    if (error) throw withChallenge(new InvalidTokenException(), res, this.options.realm);
    if (!user) {
      const failure = status === 400 ? new MalformedAuthRequestException() : new MissingTokenException();
      throw withChallenge(failure, res, this.options.realm);
    }
    return user;
  }
}
