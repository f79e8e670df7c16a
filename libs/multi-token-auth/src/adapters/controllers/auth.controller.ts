import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { CurrentToken } from '../../pure/decorators/current-token.decorator';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import { DisallowApiKeys } from '../../pure/decorators/disallow-api-keys.decorator';
import { Public } from '../../pure/decorators/public.decorator';
import { ApiKeyLoginException, LegacyClientLoginException } from '../../contracts/errors/token-issue.exceptions';
import { errorCodeOf } from '../../contracts/errors/error-body';
import { JsonRequiredException } from '../../contracts/errors/bad-input.exceptions';
import { AuthEvents } from '../../services/events/auth-events';
import { LoginDto } from '../dto/login.dto';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { ApiRoute, ApiRouteGroup } from '../openapi/api-route.decorator';
import { ROUTE_DOCS } from '../openapi/auth-routes.docs';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import { BodyLimitsInterceptor } from '../http/body-limits.interceptor';
import { RouteErrorsInterceptor } from '../http/route-errors.interceptor';
import { LoginUsernameInterceptor } from '../http/login-username.interceptor';
import { AUTHENTICATED_BY_COOKIE, type AuthRequest, type AuthResponse } from '../../pure/http/auth-request';
import { CookieTransport } from '../http/cookie-transport';
import { requestMeta } from '../../pure/http/request-meta';
import { authValidationPipe } from '../http/validation.pipe';
import { TokenService } from '../../services/tokens/token.service';
import { CredentialsVerifier } from '../../services/users/credentials.verifier';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** Login, logout, logout-all and refresh, mounted under the route prefix (default `/auth`). */
/** Codes of the attempt limiter's and the password-check queue's refusals. */
const LIMITER_REFUSALS = new Set(['too_many_attempts', 'too_many_password_checks', 'password_checks_busy']);

/** `application/json` or a `+json` type, parameters aside. */
function isJson(req: AuthRequest): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type);
}

@ApiRouteGroup('auth')
@Controller()
@UseGuards(MultiTokenAuthGuard)
@UseInterceptors(RouteErrorsInterceptor, new BodyLimitsInterceptor())
@UsePipes(authValidationPipe)
export class AuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly credentials: CredentialsVerifier,
    private readonly users: UserAccessor,
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    private readonly cookies: CookieTransport,
    private readonly events: AuthEvents,
  ) {}

  @Public()
  @ApiRoute(ROUTE_DOCS.login)
  @UseInterceptors(LoginUsernameInterceptor)
  @Post('login')
  @Header('Cache-Control', 'no-store')
  async login(@Body() body: LoginDto, @Req() req: AuthRequest, @Res({ passthrough: true }) res: AuthResponse) {
    try {
      const answer = await this.signIn(body, req, res);
      this.events.loginSucceeded(answer.record);
      return answer.body;
    } catch (error) {
      // The username as typed and the client asked for; never the password. The attempt limiter's
      // own refusals (429, no password checked) are not reported one by one: a flood of them
      // would flood the audit trail, and the failures that tripped the limit were reported.
      const reason = errorCodeOf(error);
      if (!LIMITER_REFUSALS.has(reason)) {
        this.events.loginFailed({ username: body.username, client: body.client, reason, ...requestMeta(req) });
      }
      throw error;
    }
  }

  private async signIn(body: LoginDto, req: AuthRequest, res: AuthResponse) {
    // The client is checked first: a typo in it is a 400 whatever the password.
    await this.tokens.findClient(body.client);
    // API keys are made deliberately (POST /auth/api-keys), never by signing in as their client.
    if (body.client === this.options.apiKeyClient) throw new ApiKeyLoginException();
    // Imported tokens keep the old system's lifetime (often "never"): nobody signs in to get one.
    if (body.client === this.options.legacyTokens?.client) throw new LegacyClientLoginException();
    // A cookie client's login from a cross-site form would plant the attacker's session (login CSRF).
    if (this.cookies.enabledFor(body.client) && !isJson(req)) throw new JsonRequiredException();
    const user = await this.credentials.check(body.username, body.password, req.ip ?? null);
    const { token, record } = await this.tokens.issue(user, {
      client: body.client,
      name: body.name,
      scopes: body.scopes,
      stillValid: (current) => this.credentials.unchanged(user, current),
      ...requestMeta(req),
    });
    const view = {
      id: record.id,
      client: record.client.name,
      name: record.name,
      expiresAt: record.expiresAt?.toISOString() ?? null,
      scopes: this.tokens.scopesOf(record),
      user: { id: this.users.idOf(user), username: this.users.usernameOf(user) },
    };
    if (!this.cookies.enabledFor(record.client.name)) return { record, body: { token, ...view } };
    // A browser client: the token goes in an HttpOnly cookie, never in a body a script can read.
    this.cookies.set(res, token, record);
    return { record, body: { ...view, csrfToken: this.cookies.csrfOf(token) } };
  }

  @ApiRoute(ROUTE_DOCS.logout)
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(
    @CurrentUser() user: object,
    @CurrentToken() token: AuthToken,
    @Res({ passthrough: true }) res: AuthResponse,
  ): Promise<void> {
    await this.tokens.revoke(this.users.idOf(user), token.id, 'logout');
    if (this.cookies.enabledFor(token.client.name)) this.cookies.clear(res);
  }

  @ApiRoute(ROUTE_DOCS.logoutAll)
  @Post('logout-all')
  @DisallowApiKeys()
  @HttpCode(HttpStatus.NO_CONTENT)
  async logoutAll(
    @CurrentUser() user: object,
    @CurrentToken() token: AuthToken,
    @Res({ passthrough: true }) res: AuthResponse,
  ): Promise<void> {
    await this.tokens.revokeAll(this.users.idOf(user), {
      keepApiKeys: !this.options.logoutAllRevokesApiKeys,
      reason: 'logout-all',
    });
    if (this.cookies.enabledFor(token.client.name)) this.cookies.clear(res);
  }

  @ApiRoute(ROUTE_DOCS.refresh)
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  async refresh(
    @CurrentToken() token: AuthToken,
    @Req() req: AuthRequest,
    @Res({ passthrough: true }) res: AuthResponse,
  ) {
    const { token: successor, record } = await this.tokens.refresh(token, requestMeta(req));
    // The scopes never change on refresh: shown so a client can see that.
    const view = { expiresAt: record.expiresAt?.toISOString() ?? null, scopes: this.tokens.scopesOf(record) };
    if (successor === undefined) {
      // By cookie: the cookie's Max-Age follows the new expiry (the value, the token, stays the same).
      const presented = req[AUTHENTICATED_BY_COOKIE] ? this.cookies.read(req) : undefined;
      if (presented !== undefined) this.cookies.set(res, presented, token);
      return view;
    }
    // Rotated (`rotateOnRefresh`): the successor, shown once; a browser client gets it as its cookie.
    if (!this.cookies.enabledFor(record.client.name)) return { token: successor, id: record.id, ...view };
    this.cookies.set(res, successor, record);
    return { id: record.id, ...view, csrfToken: this.cookies.csrfOf(successor) };
  }
}
