import { Inject, Injectable, Optional, type ExecutionContext } from '@nestjs/common';
import { Clock } from '../../contracts/clock/clock.interface';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { TokenUsageCounter } from '../../services/tokens/token-usage.counter';
import { Reflector } from '@nestjs/core';
import { MissingTokenException } from '../../contracts/errors/auth.exceptions';
import { AUTHORIZED } from '../../pure/http/auth-request';
import type { AuthRequest } from '../../pure/http/auth-request';
import { parseBearer, type BearerCredentials } from '../../pure/http/bearer-header.parser';
import { CookieTransport } from '../http/cookie-transport';
import { ClientThrottlerGuard } from './client-throttler.guard';
import { KeyRateLimitCheck } from './key-rate-limit.check';
import { TokenQuotaCheck } from './token-quota.check';
import { TokenVerifier } from '../../services/tokens/token.verifier';
import { closeCodeOf } from '../../pure/transports/close-codes';
import { forTransport } from '../../pure/transports/transport-error';
import { transportOf, type TransportCall } from '../../pure/transports/transport-call';
import { ClientAccessGuard } from './client-access.guard';
import { routePolicy, type RoutePolicy } from '../../pure/decorators/route-policy';
import { ScopeGuard } from './scope.guard';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** A bearer guard's own steps, as `GuardSteps.run` calls them (bound to the guard, overrides included). */
export interface BearerGuardHooks {
  authenticate(call: TransportCall, context: ExecutionContext): Promise<unknown>;
  authorize(context: ExecutionContext, call: TransportCall, policy: RoutePolicy): Promise<boolean>;
  refuse(call: TransportCall, error: unknown): never;
}

/**
 * The steps both bearer guards share, so that they cannot drift apart: what needs no
 * authentication, the anonymous pass of `@OptionalAuth()`, the re-check of a socket's or
 * subscription's connection, and after authentication the client check (403), the scopes (403),
 * the rate limits and the quota (429), in that order.
 */
@Injectable()
export class GuardSteps {
  /** `legacyTokens.scheme` in lower case, read once rather than on every request. */
  private readonly alternativeScheme?: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly cookies: CookieTransport,
    private readonly clientAccess: ClientAccessGuard,
    private readonly scopes: ScopeGuard,
    private readonly throttler: ClientThrottlerGuard,
    private readonly keyRateLimit: KeyRateLimitCheck,
    // Absent on a resource server (`forResourceServer()`): quotas and usage are the owner's.
    // (`@Inject` by name: a union type's metadata is `Object`, which Nest would resolve to nothing.)
    @Optional() @Inject(TokenQuotaCheck) private readonly quota: TokenQuotaCheck | null,
    @Optional() @Inject(TokenUsageCounter) private readonly usage: TokenUsageCounter | null,
    @Inject(Clock) private readonly clock: Clock,
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
  ) {
    this.alternativeScheme = options.legacyTokens?.scheme?.toLowerCase();
  }

  policy(context: ExecutionContext): RoutePolicy {
    return routePolicy(this.reflector, context);
  }

  /**
   * A bearer guard's whole answer, in the guard's own steps: nothing to do, an anonymous pass, or
   * `authenticate` (a socket or subscription is re-checked by its connection instead) followed by
   * `authorize`; a refusal goes to `refuse`, which throws it in the transport's form.
   */
  async run(context: ExecutionContext, steps: BearerGuardHooks): Promise<boolean> {
    const call = transportOf(context);
    const policy = this.policy(context);
    if (this.needsNothing(call, policy)) return true;
    let authenticated: AuthToken | undefined;
    try {
      if (this.isAnonymousPass(call, policy)) return true;
      // A socket or subscription carries no header per message: its connection is re-checked instead.
      if (call.connection || call.unauthenticatedConnection) await this.authenticateConnection(call);
      else await steps.authenticate(call, context);
      authenticated = call.req.authToken;
      return await steps.authorize(context, call, policy);
    } catch (error) {
      // Refused after the key was identified (client, scope, rate limit): counted in its usage.
      if (authenticated) this.usage?.refused(authenticated, this.clock.now().getTime(), true);
      return steps.refuse(call, error);
    }
  }

  /** `error` in the form the call's transport answers with (HTTP, GraphQL, socket), with its challenge. */
  transportError(call: TransportCall, error: unknown): unknown {
    return forTransport(call, error, this.options.realm);
  }

  /**
   * `@Public()` routes, and HTTP requests a library guard has already fully passed (a global guard
   * plus the same guard on a controller). Never a GraphQL call: one HTTP request can carry several
   * resolvers (`mutation { a b }`), each with its own client, scope and rate-limit policy.
   */
  needsNothing(call: TransportCall, policy: RoutePolicy): boolean {
    return policy.isPublic || (call.kind === 'http' && call.req[AUTHORIZED] === true);
  }

  /** The request's `Authorization` credentials: `Bearer`, or the `legacyTokens.scheme` word as well. */
  credentials(req: AuthRequest): BearerCredentials {
    return parseBearer(req, this.alternativeScheme);
  }

  /**
   * An `@OptionalAuth()` route called with no credentials at all: it goes through anonymously. Any
   * `Authorization` header counts as credentials, whatever its scheme (`Basic …` is a 401 there,
   * never a quiet anonymous pass).
   */
  isAnonymousPass(call: TransportCall, policy: RoutePolicy): boolean {
    if (!policy.optional) return false;
    if (call.unauthenticatedConnection) return true;
    if (call.connection) return false;
    const { req } = call;
    return (
      req.headers.authorization === undefined &&
      this.credentials(req).kind === 'none' &&
      this.cookies.read(req) === undefined
    );
  }

  /**
   * A message on a socket, or an operation of a subscription connection: the token it connected
   * with is checked again (a cache hit, or one query with `cache: false`). A token that no longer
   * passes closes the connection. `false` when the connection was never authenticated.
   */
  async authenticateConnection(call: TransportCall): Promise<void> {
    const { connection } = call;
    if (!connection) throw new MissingTokenException();
    try {
      const { user, token } = await this.verifier.verifyDigest(connection.digest, {
        ip: connection.request.ip,
        presented: false,
      });
      connection.request.user = user;
      connection.request.authToken = token;
    } catch (error) {
      const close = closeCodeOf(error);
      if (close) connection.close(close.code, close.reason);
      throw error;
    }
  }

  /**
   * After authentication: client check, scopes, the token's own rate limit (every route), the
   * client's rate limit (`@ClientRateLimit()` routes), then the token's quota (last: a call refused
   * by anything else spends none of it); marks a plain HTTP request that passes them all.
   */
  async authorize(context: ExecutionContext, call: TransportCall, policy: RoutePolicy): Promise<boolean> {
    this.clientAccess.check(call.req, policy);
    this.scopes.check(call.req, policy);
    if (call.req.authToken?.rateLimit) await this.keyRateLimit.check(call);
    // Only `@ClientRateLimit()` routes count (the throttler would skip the others itself, after
    // three awaits and a kilobyte of garbage a request).
    const allowed = !policy.rateLimited || (await this.throttler.canActivate(context));
    if (!allowed) return false;
    if (call.req.authToken?.quota) await this.quota?.check(call, policy.cost);
    if (call.kind === 'http') call.req[AUTHORIZED] = true;
    return allowed;
  }
}
