import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { CurrentToken } from '../../pure/decorators/current-token.decorator';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import { DisallowApiKeys } from '../../pure/decorators/disallow-api-keys.decorator';
import { CreateApiKeyDto } from '../dto/create-api-key.dto';
import { UpdateApiKeyDto } from '../dto/update-api-key.dto';
import { RollApiKeyDto } from '../dto/roll-api-key.dto';
import { PAGE_DEFAULT_LIMIT, PageQueryDto } from '../dto/page-query.dto';
import type { AuthClient } from '../../contracts/entities/auth-client.entity';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { PasswordRequiredException } from '../../contracts/errors/auth.exceptions';
import { TokenNotFoundException } from '../../contracts/errors/not-found.exceptions';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { ApiRoute, ApiRouteGroup } from '../openapi/api-route.decorator';
import { ROUTE_DOCS } from '../openapi/auth-routes.docs';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import type { AuthRequest, AuthResponse } from '../../pure/http/auth-request';
import { decodeCursor, pageOf } from '../../pure/http/page-link';
import { requestMeta } from '../../pure/http/request-meta';
import { BodyLimitsInterceptor } from '../http/body-limits.interceptor';
import { ReservedKeysInterceptor } from '../http/reserved-keys.interceptor';
import { RouteErrorsInterceptor } from '../http/route-errors.interceptor';
import { authValidationPipe } from '../http/validation.pipe';
import { Clock } from '../../contracts/clock/clock.interface';
import { TokenService } from '../../services/tokens/token.service';
import { CredentialsVerifier } from '../../services/users/credentials.verifier';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { apiKeyView } from './token-views';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

const DAY_SECONDS = 86_400;
/** What `PATCH /auth/api-keys/:id` may change. */
const UPDATABLE = ['name', 'enabled', 'metadata', 'allowedIps', 'rateLimit', 'quota'];

/**
 * Named long-lived tokens for scripts and CI, issued on the `apiKeyClient`. A key is a credential of
 * its own, so making one takes the account's password, and keys cannot use these routes at all.
 */
@ApiRouteGroup('api-keys')
@Controller('api-keys')
@UseGuards(MultiTokenAuthGuard)
@DisallowApiKeys()
@UseInterceptors(RouteErrorsInterceptor, new BodyLimitsInterceptor(), new ReservedKeysInterceptor())
@UsePipes(authValidationPipe)
export class ApiKeysController {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserAccessor,
    private readonly credentials: CredentialsVerifier,
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Creates a key; the response is the only place its secret ever appears. */
  @ApiRoute(ROUTE_DOCS.createApiKey)
  @Post()
  @Header('Cache-Control', 'no-store')
  async create(
    @CurrentUser() user: object,
    @CurrentToken() current: AuthToken,
    @Body() body: CreateApiKeyDto,
    @Req() req: AuthRequest,
  ) {
    const client = this.client();
    await this.confirmHolder(user, current, body.password, req.ip);
    const ttl = body.expiresInDays === undefined ? undefined : body.expiresInDays * DAY_SECONDS;
    const { token, record } = await this.tokens.issue(user, {
      client: client.name,
      name: body.name,
      ttl,
      // Under the issue lock: the session still exists and the password is still the one checked.
      parentTokenId: current.id,
      stillValid: (now) => this.credentials.unchanged(user, now),
      // A key never holds more than the session making it.
      scopes: body.scopes,
      scopeCeiling: this.tokens.scopesOf(current),
      metadata: body.metadata,
      allowedIps: body.allowedIps,
      rateLimit: body.rateLimit,
      quota: body.quota,
      ...requestMeta(req),
    });
    return { token, ...apiKeyView(record, await this.tokens.quotaOf(record)), client: client.name };
  }

  /**
   * A new secret for a key, the old one working on for `overlapSeconds` (0: revoked now). Same
   * proof as creating a key; the response is the only place the new secret appears.
   */
  @ApiRoute(ROUTE_DOCS.rollApiKey)
  @Post(':id/roll')
  @Header('Cache-Control', 'no-store')
  async roll(
    @CurrentUser() user: object,
    @CurrentToken() current: AuthToken,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RollApiKeyDto,
    @Req() req: AuthRequest,
  ) {
    onlyFields(req, ['overlapSeconds', 'password'], false);
    const client = this.client();
    await this.confirmHolder(user, current, body.password, req.ip);
    const { token, record, oldKeyExpiresAt } = await this.tokens.roll(user, id, {
      client,
      overlapSeconds: body.overlapSeconds,
      parentTokenId: current.id,
      stillValid: (now) => this.credentials.unchanged(user, now),
      scopeCeiling: this.tokens.scopesOf(current),
      ...requestMeta(req),
    });
    return {
      token,
      ...apiKeyView(record, await this.tokens.quotaOf(record)),
      client: client.name,
      rolledFrom: { id, expiresAt: oldKeyExpiresAt.toISOString() },
    };
  }

  @ApiRoute(ROUTE_DOCS.listApiKeys)
  @Get()
  @Header('Cache-Control', 'no-store')
  async list(
    @CurrentUser() user: object,
    @Query() query: PageQueryDto,
    @Req() req: AuthRequest,
    @Res({ passthrough: true }) res: AuthResponse,
  ) {
    const limit = query.limit ?? PAGE_DEFAULT_LIMIT;
    const keys = await this.tokens.list(this.users.idOf(user), {
      clientId: this.client().id,
      after: decodeCursor(query.cursor),
      limit: limit + 1,
    });
    return Promise.all(
      pageOf(keys, limit, req, res).map(async (key) => apiKeyView(key, await this.tokens.quotaOf(key))),
    );
  }

  /** Renames, pauses or resumes a key, or replaces its metadata, allow-list, rate limit or quota; every instance sees it at once. */
  @ApiRoute(ROUTE_DOCS.updateApiKey)
  @Patch(':id')
  @Header('Cache-Control', 'no-store')
  async update(
    @CurrentUser() user: object,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateApiKeyDto,
    @Req() req: AuthRequest,
  ) {
    // Other fields (scopes, expiry, the secret) cannot change: refused, not silently dropped.
    onlyFields(req, UPDATABLE, true);
    const { name, enabled, metadata, allowedIps, rateLimit, quota } = body;
    const key = await this.tokens.update(
      this.users.idOf(user),
      id,
      { name, enabled, metadata, allowedIps, rateLimit, quota },
      { clientId: this.client().id },
    );
    if (!key) throw new TokenNotFoundException('api_key_not_found');
    return apiKeyView(key, await this.tokens.quotaOf(key));
  }

  @ApiRoute(ROUTE_DOCS.revokeApiKey)
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@CurrentUser() user: object, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    const userId = this.users.idOf(user);
    const key = await this.tokens.find(userId, id);
    if (key?.clientId !== this.client().id || !(await this.tokens.revoke(userId, id, 'api-key-revoke'))) {
      throw new TokenNotFoundException('api_key_not_found');
    }
  }

  /** The password, unless the session signed in less than `recentLoginWindow` seconds ago. */
  private async confirmHolder(
    user: object,
    current: AuthToken,
    password: string | undefined,
    ip: string | undefined,
  ): Promise<void> {
    if (password !== undefined) return this.credentials.confirm(user, password, ip ?? null);
    const window = this.options.recentLoginWindow;
    const age = this.clock.now().getTime() - current.createdAt.getTime();
    // An imported legacy token was created by the import, not by a recent sign-in.
    const imported = current.client.name === this.options.legacyTokens?.client;
    if (window === null || imported || age > window * 1000) throw new PasswordRequiredException();
  }

  private client(): AuthClient {
    const client = this.tokens.apiKeyClient();
    if (!client) throw new TokenNotFoundException('api_keys_disabled');
    return client;
  }
}

/**
 * Refuses (400 `validation_failed`) a field the route does not take, rather than dropping it
 * silently, and with `required`, a body that sets none (a body that was not JSON, say, which would
 * otherwise answer 200 and change nothing).
 */
function onlyFields(req: AuthRequest, fields: readonly string[], required: boolean): void {
  const body = typeof req.body === 'object' && req.body !== null ? req.body : {};
  const others = Object.keys(body).filter((field) => !fields.includes(field));
  if (others.length > 0)
    throw new ValidationFailedException(others.map((field) => `property ${field} is not accepted`));
  if (required && Object.keys(body).length === 0) {
    throw new ValidationFailedException([`send at least one of ${fields.join(', ')} as a JSON object`]);
  }
}
