import { SetMetadata } from '@nestjs/common';
import {
  REQUIRE_ANY_SCOPE_KEY,
  REQUIRE_GRANTED_SCOPES_KEY,
  REQUIRE_SCOPES_KEY,
} from '../../contracts/multi-token-auth.constants';
import { scopesProblem } from '../scopes/scope-set';

function checked(decorator: string, scopes: string[]): string[] {
  const problem = scopesProblem(scopes, `@${decorator}()`);
  if (problem || scopes.length === 0)
    throw new Error(`multi-token-auth: ${problem ?? `@${decorator}() needs at least one scope`}.`);
  return scopes;
}

/**
 * The token must hold **every** one of these scopes; otherwise 403 with
 * `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` (RFC 6750 §3.1). On a
 * controller and a handler both apply (the handler adds to its controller's). Checked after
 * authentication and the client check, before the rate limit.
 *
 * @example
 * @RequireScopes('orders:write') @Post('orders') create() {}
 */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRE_SCOPES_KEY, checked('RequireScopes', scopes));

/**
 * The token must hold **at least one** of these scopes (403 `insufficient_scope` otherwise). On a
 * controller and a handler, each is a separate requirement and both must be met.
 *
 * @example
 * @RequireAnyScope('orders:read', 'orders:admin') @Get('orders') list() {}
 */
export const RequireAnyScope = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRE_ANY_SCOPE_KEY, checked('RequireAnyScope', scopes));

/**
 * The token must hold each of these scopes **by name**, granted on purpose: its own scope list
 * names it and its client declares it now. Unlike `@RequireScopes()`, a token unrestricted by
 * scopes (`null`, or any list on a client that declares none, since such a client lets a login ask
 * for any scope) does not pass. For powers no one should hold by default (`auth:introspect`).
 * Checked where `@RequireScopes()` is, before the rate limits and the quota.
 */
export const RequireGrantedScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRE_GRANTED_SCOPES_KEY, checked('RequireGrantedScopes', scopes));
