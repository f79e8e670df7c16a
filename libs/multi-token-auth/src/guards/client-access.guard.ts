import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyNotAllowedException, ClientNotAllowedException, MissingTokenException } from '../errors/auth.exceptions';
import type { AuthRequest, AuthResponse } from '../http/auth-request';
import { withChallenge } from '../http/bearer-challenge';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import { routePolicy } from './route-policy';
import type { ResolvedOptions } from '../multi-token-auth.defaults';

/**
 * Enforces `@AllowClients()`, `@DisallowClients()` and `@DisallowApiKeys()` on an authenticated request (403). Included in
 * `MultiTokenAuthGuard`; use it on its own only after another guard that authenticates, e.g.
 * `@UseGuards(AuthGuard(['multi-token-bearer', 'jwt']), ClientAccessGuard)`.
 */
@Injectable()
export class ClientAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const { allow, deny, denyApiKeys } = routePolicy(this.reflector, context);
    if (!allow && !deny && !denyApiKeys) return true;
    const http = context.switchToHttp();
    const res = http.getResponse<AuthResponse>();
    const client = http.getRequest<AuthRequest>().authToken?.client?.name;
    // No token here means nothing authenticated the request: that is a 401, never a 403.
    if (client === undefined) throw withChallenge(new MissingTokenException(), res, this.options.realm);
    if (denyApiKeys && client === this.options.apiKeyClient) {
      throw withChallenge(new ApiKeyNotAllowedException(), res, this.options.realm);
    }
    if ((allow && !allow.includes(client)) || deny?.includes(client)) {
      throw withChallenge(new ClientNotAllowedException(), res, this.options.realm);
    }
    return true;
  }
}
