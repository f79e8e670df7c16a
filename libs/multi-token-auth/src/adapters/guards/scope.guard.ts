import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MissingTokenException } from '../../contracts/errors/auth.exceptions';
import { InsufficientScopeException } from '../../contracts/errors/scope.exceptions';
import type { AuthRequest } from '../../pure/http/auth-request';
import { effectiveScopes, holdsAll, holdsAny } from '../../pure/scopes/scope-set';
import { forTransport } from '../../pure/transports/transport-error';
import { transportOf } from '../../pure/transports/transport-call';
import { routePolicy, type RoutePolicy } from '../../pure/decorators/route-policy';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/**
 * Enforces `@RequireScopes()` and `@RequireAnyScope()` on an authenticated request: 403
 * `insufficient_scope` with the RFC 6750 challenge naming the scopes. Included in
 * `MultiTokenAuthGuard` (after the client check, before the rate limit); on its own only after
 * another guard that authenticates.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const call = transportOf(context);
    try {
      this.check(call.req, routePolicy(this.reflector, context));
      return true;
    } catch (error) {
      throw forTransport(call, error, this.options.realm);
    }
  }

  /** Throws the 403 (or a 401 when nothing authenticated the request) unless the token holds the route's scopes. */
  check(req: AuthRequest, policy: RoutePolicy): void {
    if (policy.allScopes.length === 0 && policy.anyScopes.length === 0 && policy.grantedScopes.length === 0) return;
    const token = req.authToken;
    if (!token) throw new MissingTokenException();
    const granted = effectiveScopes(token, token.client);
    if (!holdsAll(granted, policy.allScopes)) throw new InsufficientScopeException(policy.allScopes, 'all');
    for (const group of policy.anyScopes) {
      if (!holdsAny(granted, group)) throw new InsufficientScopeException(group, 'any');
    }
    // By name: the token asked for it and its client grants it now (never "unrestricted").
    const own = token.scopes ?? [];
    const declared = token.client?.scopes ?? [];
    if (!policy.grantedScopes.every((scope) => own.includes(scope) && declared.includes(scope))) {
      throw new InsufficientScopeException(policy.grantedScopes, 'all');
    }
  }
}
