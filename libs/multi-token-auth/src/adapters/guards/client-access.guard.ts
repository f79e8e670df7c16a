import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ApiKeyNotAllowedException,
  ClientNotAllowedException,
  MissingTokenException,
} from '../../contracts/errors/auth.exceptions';
import type { AuthRequest } from '../../pure/http/auth-request';
import { forTransport } from '../../pure/transports/transport-error';
import { transportOf } from '../../pure/transports/transport-call';
import { routePolicy, type RoutePolicy } from '../../pure/decorators/route-policy';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/**
 * Enforces `@AllowClients()`, `@DisallowClients()` and `@DisallowApiKeys()` on an authenticated request (403). Included in
 * `MultiTokenAuthGuard`; use it on its own only after another guard that authenticates, e.g.
 * `@UseGuards(AuthGuard(['multi-token-bearer', 'jwt']), ClientAccessGuard)` (the strategies compose in
 * either order). A request that another strategy authenticated carries no token of the library's, so
 * on a route with one of these decorators it is a 401 `missing_token`: such a route admits only
 * tokens of the clients it names.
 */
@Injectable()
export class ClientAccessGuard implements CanActivate {
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

  /** Throws the 403 (or a 401 when nothing authenticated the request) unless the route admits the token's client. */
  check(req: AuthRequest, { allow, deny, denyApiKeys }: RoutePolicy): void {
    if (!allow && !deny && !denyApiKeys) return;
    const client = req.authToken?.client?.name;
    // No token here means nothing authenticated the request: that is a 401, never a 403.
    if (client === undefined) throw new MissingTokenException();
    if (denyApiKeys && client === this.options.apiKeyClient) throw new ApiKeyNotAllowedException();
    if ((allow && !allow.includes(client)) || deny?.includes(client)) throw new ClientNotAllowedException();
  }
}
