import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { CurrentToken } from '../decorators/current-token.decorator';
import { CurrentUser } from '../decorators/current-user.decorator';
import type { AuthToken } from '../entities/auth-token.entity';
import { CurrentSessionException, TokenNotFoundException } from '../errors/not-found.exceptions';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import { RouteErrorsInterceptor } from '../http/route-errors.interceptor';
import { TokenService } from '../tokens/token.service';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { UserAccessor } from '../users/user.accessor';
import { sessionView } from './token-views';

/** "Where am I logged in?" and "log out that device", under the route prefix. */
@Controller()
@UseGuards(MultiTokenAuthGuard)
@UseInterceptors(RouteErrorsInterceptor)
export class SessionsController {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserAccessor,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  /** Every unexpired token of the user (API keys included), newest first. */
  @Get('sessions')
  async list(@CurrentUser() user: object, @CurrentToken() current: AuthToken) {
    const tokens = await this.tokens.list(this.users.idOf(user));
    return tokens.map((token) => sessionView(token, current.id));
  }

  /** "Log out everywhere else": every other token of the user; API keys as `logout-all` treats them. */
  @Delete('sessions')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revokeOthers(@CurrentUser() user: object, @CurrentToken() current: AuthToken): Promise<void> {
    const keepApiKeys = !this.options.logoutAllRevokesApiKeys;
    await this.tokens.revokeAll(this.users.idOf(user), { exceptTokenId: current.id, keepApiKeys });
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(
    @CurrentUser() user: object,
    @CurrentToken() current: AuthToken,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    if (id === current.id) throw new CurrentSessionException();
    if (!(await this.tokens.revoke(this.users.idOf(user), id))) throw new TokenNotFoundException();
  }
}
