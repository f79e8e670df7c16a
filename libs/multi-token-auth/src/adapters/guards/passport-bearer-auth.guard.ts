import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '../../pure/peers/nest-passport.peer';
import {
  InvalidTokenException,
  MalformedAuthRequestException,
  MissingTokenException,
} from '../../contracts/errors/auth.exceptions';
import { MULTI_TOKEN_BEARER } from '../../contracts/multi-token-auth.constants';
import type { RoutePolicy } from '../../pure/decorators/route-policy';
import { QUOTA_BY_GUARD, type AuthRequest } from '../../pure/http/auth-request';
import type { BearerCredentials } from '../../pure/http/bearer-header.parser';
import { transportOf, type TransportCall } from '../../pure/transports/transport-call';
import { GuardSteps, type BearerGuardHooks } from './guard-steps';

/**
 * What `AuthGuard('multi-token-bearer')` gives the class below, in the library's own types: the
 * published declarations then need no Passport types (`@nestjs/passport` 12's need `@types/passport`).
 */
interface PassportGuardBase extends CanActivate {
  canActivate(context: ExecutionContext): Promise<boolean>;
  handleRequest<U>(error: unknown, user: U, info: unknown, context: ExecutionContext, status?: unknown): U;
  getRequest(context: ExecutionContext): unknown;
  getResponse(context: ExecutionContext): unknown;
}
// @nestjs/passport types canActivate as CanActivate's union; its implementation is an async method.
const BearerAuthGuard = AuthGuard(MULTI_TOKEN_BEARER) as unknown as new () => PassportGuardBase;

/**
 * `AuthGuard('multi-token-bearer')` with the same answers as `MultiTokenAuthGuard` (RFC 6750
 * challenges, client check, scopes, rate limit, `@OptionalAuth()`, GraphQL and sockets). Slower per
 * request (the Passport wrapper), so prefer `MultiTokenAuthGuard` unless you compose strategies.
 */
@Injectable()
export class PassportBearerAuthGuard extends BearerAuthGuard {
  @Inject(GuardSteps) private readonly steps!: GuardSteps;

  override canActivate(context: ExecutionContext): Promise<boolean> {
    return this.steps.run(context, this.hooks);
  }

  /** The steps, bound once (a subclass's overrides included), as `MultiTokenAuthGuard` has them. */
  private readonly hooks: BearerGuardHooks = {
    authenticate: (call, context) => this.authenticate(call, context),
    authorize: (context, call, policy) => this.authorize(context, call, policy),
    refuse: (call, error) => this.refuse(call, error),
  };

  /** Step 1: the request's credentials, read as `MultiTokenAuthGuard` reads them (for `handleRequest`'s answer). */
  protected extractCredentials(req: AuthRequest): BearerCredentials {
    return this.steps.credentials(req);
  }

  /** Step 2: Passport's run of the strategy (or the chain this guard's subclass names). */
  protected authenticate(call: TransportCall, context: ExecutionContext): Promise<unknown> {
    // The quota is spent by `authorize`, at the route's cost, once the other checks have passed.
    call.req[QUOTA_BY_GUARD] = true;
    return super.canActivate(context);
  }

  /** Step 3: the client check (403), the scopes (403), the rate limit (429), in that order. */
  protected authorize(context: ExecutionContext, call: TransportCall, policy: RoutePolicy): Promise<boolean> {
    return this.steps.authorize(context, call, policy);
  }

  /** Step 4: throws a refusal in the transport's form (HTTP with its challenge, GraphQL, socket). */
  protected refuse(call: TransportCall, error: unknown): never {
    throw this.steps.transportError(call, error);
  }

  /** The HTTP request, also under a GraphQL resolver (`context.req`). */
  override getRequest(context: ExecutionContext): unknown {
    return transportOf(context).req;
  }

  override getResponse(context: ExecutionContext): unknown {
    return transportOf(context).res;
  }

  /**
   * The strategy fails (rather than errs) only for what is not the library's: no credentials, or a
   * bearer value not of its shape. Alone, the answer is then `MultiTokenAuthGuard`'s: such a value
   * is an `invalid_token` there, nothing at all `missing_token`. Read again only on this path.
   */
  override handleRequest<U>(error: unknown, user: U, _info: unknown, context: ExecutionContext, status?: unknown): U {
    if (error instanceof Error) throw error;
    if (error) throw new InvalidTokenException();
    if (user) return user;
    if (status === 400) throw new MalformedAuthRequestException();
    const presented = this.extractCredentials(transportOf(context).req).kind === 'token';
    throw presented ? new InvalidTokenException() : new MissingTokenException();
  }
}
