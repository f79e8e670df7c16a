import { Controller, Get } from '@nestjs/common';
import {
  AllowClients,
  ApiRoute,
  ClientRateLimit,
  CurrentToken,
  CurrentUser,
  DisallowClients,
  OptionalAuth,
  Public,
  type AuthToken,
} from 'nestjs-multi-token-auth';
import { DEMO_ROUTE_DOCS } from './docs/demo-routes.docs';
import type { User } from './users/user.entity';

/** Routes that show the library at work; all but /health and /hello need a bearer token (global guard). */
@Controller()
export class DemoController {
  @Public()
  @ApiRoute(DEMO_ROUTE_DOCS.health)
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  /** Authentication optional: anonymous callers get `{ user: null }`; a bad token is still a 401. */
  @OptionalAuth()
  @ApiRoute(DEMO_ROUTE_DOCS.hello)
  @Get('hello')
  hello(@CurrentUser() user: User | undefined) {
    return { user: user ? { id: user.id, username: user.username } : null };
  }

  @ApiRoute(DEMO_ROUTE_DOCS.me)
  @Get('me')
  me(@CurrentUser() user: User, @CurrentToken() token: AuthToken) {
    return { id: user.id, username: user.username, client: token.client.name, tokenId: token.id };
  }

  @ApiRoute(DEMO_ROUTE_DOCS.webOnly)
  @AllowClients('web')
  @Get('web-only')
  webOnly(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }

  @ApiRoute(DEMO_ROUTE_DOCS.notCli)
  @DisallowClients('cli')
  @Get('not-cli')
  notCli(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }

  @ApiRoute(DEMO_ROUTE_DOCS.throttled)
  @ClientRateLimit()
  @Get('throttled')
  throttled(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }
}
