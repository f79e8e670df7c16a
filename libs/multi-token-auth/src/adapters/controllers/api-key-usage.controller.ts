import {
  Controller,
  Get,
  Header,
  Inject,
  Param,
  ParseUUIDPipe,
  Query,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { Clock } from '../../contracts/clock/clock.interface';
import { TokenNotFoundException } from '../../contracts/errors/not-found.exceptions';
import { CurrentUser } from '../../pure/decorators/current-user.decorator';
import { DisallowApiKeys } from '../../pure/decorators/disallow-api-keys.decorator';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { TokenService } from '../../services/tokens/token.service';
import { DAY_MS, TokenUsageCounter, usageDay } from '../../services/tokens/token-usage.counter';
import { USAGE_DEFAULT_DAYS, UsageQueryDto } from '../dto/usage-query.dto';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import { BodyLimitsInterceptor } from '../http/body-limits.interceptor';
import { RouteErrorsInterceptor } from '../http/route-errors.interceptor';
import { authValidationPipe } from '../http/validation.pipe';
import { ApiRoute, ApiRouteGroup } from '../openapi/api-route.decorator';
import { ROUTE_DOCS } from '../openapi/auth-routes.docs';

/** How much an API key is used: `GET /auth/api-keys/:id/usage`, beside the key routes. */
@ApiRouteGroup('api-keys')
@Controller('api-keys')
@UseGuards(MultiTokenAuthGuard)
@DisallowApiKeys()
@UseInterceptors(RouteErrorsInterceptor, new BodyLimitsInterceptor())
@UsePipes(authValidationPipe)
export class ApiKeyUsageController {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserAccessor,
    private readonly usage: TokenUsageCounter,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Requests and refusals per UTC day (every day of the range, oldest first, zeros included), their
   * total, and the key's last use and address. Written counts of every instance, plus this
   * instance's not yet written; another instance's last `lastUsedUpdateInterval` may be missing.
   */
  @ApiRoute(ROUTE_DOCS.apiKeyUsage)
  @Get(':id/usage')
  @Header('Cache-Control', 'no-store')
  async usageOf(
    @CurrentUser() user: object,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: UsageQueryDto,
  ) {
    const key = await this.tokens.find(this.users.idOf(user), id);
    if (!key || key.clientId !== this.tokens.apiKeyClient()?.id) throw new TokenNotFoundException('api_key_not_found');
    const today = Math.floor(this.clock.now().getTime() / DAY_MS);
    const count = query.days ?? USAGE_DEFAULT_DAYS;
    const dates = Array.from({ length: count }, (_, i) => usageDay((today - count + 1 + i) * DAY_MS));
    const stored = new Map((await this.usage.usageOf(id, dates[0] ?? '')).map((row) => [row.day, row]));
    const days = dates.map((date) => ({
      date,
      requests: stored.get(date)?.requests ?? 0,
      refused: stored.get(date)?.refused ?? 0,
    }));
    return {
      total: days.reduce((sum, day) => sum + day.requests, 0),
      refused: days.reduce((sum, day) => sum + day.refused, 0),
      days,
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      lastIp: key.lastIp ?? null,
    };
  }
}
