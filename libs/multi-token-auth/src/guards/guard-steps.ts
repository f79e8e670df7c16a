import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { AUTHORIZED, type AuthRequest } from '../http/auth-request';
import type { ClientThrottlerGuard } from '../throttling/client-throttler.guard';
import type { ClientAccessGuard } from './client-access.guard';
import { routePolicy } from './route-policy';

/** The steps both bearer guards share, so that they cannot drift apart. */

/** True for `@Public()` routes and for requests a library guard has already fully passed. */
export function needsNoAuthentication(reflector: Reflector, context: ExecutionContext): boolean {
  const req = context.switchToHttp().getRequest<AuthRequest>();
  return req[AUTHORIZED] === true || routePolicy(reflector, context).isPublic;
}

/** After authentication: the client check (403), then the rate limit (429); marks the request when both pass. */
export async function authorizeAuthenticated(
  context: ExecutionContext,
  clientAccess: ClientAccessGuard,
  throttler: ClientThrottlerGuard,
): Promise<boolean> {
  const allowed = clientAccess.canActivate(context) && (await throttler.canActivate(context));
  if (allowed) context.switchToHttp().getRequest<AuthRequest>()[AUTHORIZED] = true;
  return allowed;
}
