import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Query,
  Req,
  Res,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { DisallowApiKeys } from '../../pure/decorators/disallow-api-keys.decorator';
import { PAGE_DEFAULT_LIMIT, PageQueryDto } from '../dto/page-query.dto';
import type { AuthRequest, AuthResponse } from '../../pure/http/auth-request';
import { decodeCursor, pageOf } from '../../pure/http/page-link';
import { authValidationPipe } from '../http/validation.pipe';
import { CurrentToken } from '../../pure/decorators/current-token.decorator';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { CurrentSessionException, TokenNotFoundException } from '../../contracts/errors/not-found.exceptions';
import { ApiRoute, ApiRouteGroup } from '../openapi/api-route.decorator';
import { ROUTE_DOCS } from '../openapi/auth-routes.docs';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import { BodyLimitsInterceptor } from '../http/body-limits.interceptor';
import { RouteErrorsInterceptor } from '../http/route-errors.interceptor';
import { TokenService } from '../../services/tokens/token.service';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { sessionView } from './token-views';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** "Where am I logged in?" and "log out that device", under the route prefix. Not for API keys. */
@ApiRouteGroup('sessions')
@Controller()
@UseGuards(MultiTokenAuthGuard)
@DisallowApiKeys()
@UseInterceptors(RouteErrorsInterceptor, new BodyLimitsInterceptor())
@UsePipes(authValidationPipe)
export class SessionsController {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserAccessor,
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
  ) {}

  /** The user's unexpired tokens (API keys included), newest first, a page at a time. */
  @ApiRoute(ROUTE_DOCS.listSessions)
  @Get('sessions')
  @Header('Cache-Control', 'no-store')
  async list(
    @CurrentUser() user: object,
    @CurrentToken() current: AuthToken,
    @Query() query: PageQueryDto,
    @Req() req: AuthRequest,
    @Res({ passthrough: true }) res: AuthResponse,
  ) {
    const limit = query.limit ?? PAGE_DEFAULT_LIMIT;
    const tokens = await this.tokens.list(this.users.idOf(user), {
      // A token a refresh rotated out is not a session of its own: its successor is.
      excludeRotated: true,
      after: decodeCursor(query.cursor),
      limit: limit + 1,
    });
    return pageOf(tokens, limit, req, res).map((token) => sessionView(token, current.id));
  }

  /** "Log out everywhere else": every other token of the user; API keys as `logout-all` treats them. */
  @ApiRoute(ROUTE_DOCS.revokeOtherSessions)
  @Delete('sessions')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revokeOthers(@CurrentUser() user: object, @CurrentToken() current: AuthToken): Promise<void> {
    const keepApiKeys = !this.options.logoutAllRevokesApiKeys;
    await this.tokens.revokeAll(this.users.idOf(user), {
      exceptTokenId: current.id,
      keepApiKeys,
      reason: 'logout-others',
    });
  }

  @ApiRoute(ROUTE_DOCS.revokeSession)
  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(
    @CurrentUser() user: object,
    @CurrentToken() current: AuthToken,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    if (id === current.id) throw new CurrentSessionException();
    const userId = this.users.idOf(user);
    // A token the current session's refreshes rotated out is part of it: revoking it would end it.
    const target = current.familyId === null ? null : await this.tokens.find(userId, id);
    if (target?.familyId && target.familyId === current.familyId) throw new CurrentSessionException();
    if (!(await this.tokens.revoke(userId, id, 'session-revoke'))) throw new TokenNotFoundException();
  }
}
