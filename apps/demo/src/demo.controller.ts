import { ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { Controller, Get } from '@nestjs/common';
import {
  AllowClients,
  ApiErrorResponse,
  BEARER_SCHEME,
  ClientRateLimit,
  CurrentToken,
  CurrentUser,
  DisallowClients,
  OptionalAuth,
  Public,
  type AuthToken,
} from 'nestjs-multi-token-auth';
import type { User } from './users/user.entity';

/** Routes that show the library at work; all but /health and /hello need a bearer token (global guard). */
@Controller()
export class DemoController {
  @Public()
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  /** Authentication optional: anonymous callers get `{ user: null }`; a bad token is still a 401. */
  @OptionalAuth()
  @ApiSecurity(BEARER_SCHEME)
  @ApiSecurity({})
  @ApiResponse({
    status: 200,
    description: '`{user: null}` without credentials, `{user: {id, username}}` with a token.',
  })
  @ApiErrorResponse(401, ['invalid_token', 'token_expired', 'user_inactive'])
  @Get('hello')
  hello(@CurrentUser() user: User | undefined) {
    return { user: user ? { id: user.id, username: user.username } : null };
  }

  @ApiSecurity(BEARER_SCHEME)
  @Get('me')
  me(@CurrentUser() user: User, @CurrentToken() token: AuthToken) {
    return { id: user.id, username: user.username, client: token.client.name, tokenId: token.id };
  }

  @ApiSecurity(BEARER_SCHEME)
  @ApiResponse({ status: 200, description: 'Only the `web` client gets here.' })
  @ApiErrorResponse(403, ['client_not_allowed'])
  @AllowClients('web')
  @Get('web-only')
  webOnly(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }

  @ApiSecurity(BEARER_SCHEME)
  @ApiResponse({ status: 200, description: 'Every client but `cli` gets here.' })
  @ApiErrorResponse(403, ['client_not_allowed'])
  @DisallowClients('cli')
  @Get('not-cli')
  notCli(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }

  @ApiSecurity(BEARER_SCHEME)
  @ApiResponse({ status: 200, description: 'Within the client’s rate: with `X-RateLimit-*` headers.' })
  @ApiErrorResponse(429, ['rate_limited'])
  @ClientRateLimit()
  @Get('throttled')
  throttled(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }
}
