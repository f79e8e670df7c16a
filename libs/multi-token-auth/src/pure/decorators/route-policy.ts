import type { ExecutionContext, Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import {
  ALLOW_CLIENTS_KEY,
  CLIENT_RATE_LIMIT_KEY,
  DISALLOW_API_KEYS_KEY,
  DISALLOW_CLIENTS_KEY,
  IS_PUBLIC_KEY,
  OPTIONAL_AUTH_KEY,
  TOKEN_COST_KEY,
  REQUIRE_ANY_SCOPE_KEY,
  REQUIRE_GRANTED_SCOPES_KEY,
  REQUIRE_SCOPES_KEY,
} from '../../contracts/multi-token-auth.constants';

/** What the library's decorators say about one route (handler + controller). */
export interface RoutePolicy {
  isPublic: boolean;
  allow: string[] | undefined;
  deny: string[] | undefined;
  denyApiKeys: boolean;
  rateLimited: boolean;
  /** `@OptionalAuth()`: no credentials at all is an anonymous pass. */
  optional: boolean;
  /** `@RequireScopes()` of the handler and its controller together: all are needed. */
  allScopes: string[];
  /** Each `@RequireAnyScope()` (handler, controller): one scope of each group is needed. */
  anyScopes: string[][];
  /** `@RequireGrantedScopes()`: named in the token's own list and declared by its client. */
  grantedScopes: string[];
  /** `@TokenCost(n)` (handler over controller): what a call spends of a token's quota; 1 without it. */
  cost: number;
}

type Handler = ReturnType<ExecutionContext['getHandler']>;

// Per controller class, then per handler: an inherited handler is shared by several classes.
const policies = new WeakMap<Type<unknown>, WeakMap<Handler, RoutePolicy>>();

/**
 * The route's policy, read from the decorators once and kept: decorator metadata is fixed when the
 * class is defined, and reading it on every request (four lookups on two targets each) was a
 * measurable share of the guard's cost.
 */
export function routePolicy(reflector: Reflector, context: ExecutionContext): RoutePolicy {
  const handler = context.getHandler();
  const type = context.getClass<unknown>();
  let byHandler = policies.get(type);
  if (!byHandler) policies.set(type, (byHandler = new WeakMap()));
  let policy = byHandler.get(handler);
  if (!policy) {
    policy = readRoutePolicy(reflector, handler, type);
    byHandler.set(handler, policy);
  }
  return policy;
}

/** The policy of `handler` as a method of `type`, read from the decorators (the start-up route check reads it too). */
export function readRoutePolicy(reflector: Reflector, handler: Handler, type: Type<unknown>): RoutePolicy {
  const targets = [handler, type];
  return {
    isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
    allow: reflector.getAllAndOverride<string[] | undefined>(ALLOW_CLIENTS_KEY, targets),
    deny: reflector.getAllAndOverride<string[] | undefined>(DISALLOW_CLIENTS_KEY, targets),
    denyApiKeys: reflector.getAllAndOverride<boolean | undefined>(DISALLOW_API_KEYS_KEY, targets) === true,
    rateLimited: reflector.getAllAndOverride<boolean | undefined>(CLIENT_RATE_LIMIT_KEY, targets) === true,
    optional: reflector.getAllAndOverride<boolean | undefined>(OPTIONAL_AUTH_KEY, targets) === true,
    allScopes: [...new Set(reflector.getAllAndMerge<string[]>(REQUIRE_SCOPES_KEY, targets))],
    anyScopes: targets
      .map((target) => reflector.get<string[] | undefined>(REQUIRE_ANY_SCOPE_KEY, target))
      .filter((group): group is string[] => group !== undefined),
    grantedScopes: [...new Set(reflector.getAllAndMerge<string[]>(REQUIRE_GRANTED_SCOPES_KEY, targets))],
    cost: reflector.getAllAndOverride<number | undefined>(TOKEN_COST_KEY, targets) ?? 1,
  };
}
