import { Controller, Get } from '@nestjs/common';
import {
  AllowClients,
  ClientRateLimit,
  CurrentToken,
  CurrentUser,
  DisallowClients,
  Public,
  type AuthToken,
} from 'nestjs-multi-token-auth';
import type { User } from './users/user.entity';

/** Routes that show the library at work; all but /health need a bearer token (global guard). */
@Controller()
export class DemoController {
  @Public()
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentUser() user: User, @CurrentToken() token: AuthToken) {
    return { id: user.id, username: user.username, client: token.client.name, tokenId: token.id };
  }

  @AllowClients('web')
  @Get('web-only')
  webOnly(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }

  @DisallowClients('cli')
  @Get('not-cli')
  notCli(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }

  @ClientRateLimit()
  @Get('throttled')
  throttled(@CurrentToken() token: AuthToken) {
    return { ok: true, client: token.client.name };
  }
}
