import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { CurrentUser } from '../decorators/current-user.decorator';
import { CreateApiKeyDto } from '../dto/create-api-key.dto';
import type { AuthClient } from '../entities/auth-client.entity';
import {
  API_KEY_NOT_FOUND_MESSAGE,
  API_KEYS_DISABLED_MESSAGE,
  TokenNotFoundException,
} from '../errors/not-found.exceptions';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import { RouteErrorsInterceptor } from '../http/route-errors.interceptor';
import type { AuthRequest } from '../http/auth-request';
import { requestMeta } from '../http/request-meta';
import { authValidationPipe } from '../http/validation.pipe';
import { TokenService } from '../tokens/token.service';
import { UserAccessor } from '../users/user.accessor';
import { apiKeyView } from './token-views';

const DAY_SECONDS = 86_400;

/** Named long-lived tokens for scripts and CI, issued on the `apiKeyClient`. */
@Controller('api-keys')
@UseGuards(MultiTokenAuthGuard)
@UseInterceptors(RouteErrorsInterceptor)
@UsePipes(authValidationPipe)
export class ApiKeysController {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserAccessor,
  ) {}

  /** Creates a key; the response is the only place its secret ever appears. */
  @Post()
  async create(@CurrentUser() user: object, @Body() body: CreateApiKeyDto, @Req() req: AuthRequest) {
    const client = this.client();
    const ttl = body.expiresInDays === undefined ? undefined : body.expiresInDays * DAY_SECONDS;
    const { token, record } = await this.tokens.issue(user, {
      client: client.name,
      name: body.name.trim(),
      ttl,
      ...requestMeta(req),
    });
    return { token, ...apiKeyView(record), client: client.name };
  }

  @Get()
  async list(@CurrentUser() user: object) {
    const keys = await this.tokens.list(this.users.idOf(user), { clientId: this.client().id });
    return keys.map(apiKeyView);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@CurrentUser() user: object, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    const userId = this.users.idOf(user);
    const key = await this.tokens.find(userId, id);
    if (key?.clientId !== this.client().id || !(await this.tokens.revoke(userId, id))) {
      throw new TokenNotFoundException(API_KEY_NOT_FOUND_MESSAGE, 'api_key_not_found');
    }
  }

  private client(): AuthClient {
    const client = this.tokens.apiKeyClient();
    if (!client) throw new TokenNotFoundException(API_KEYS_DISABLED_MESSAGE, 'api_keys_disabled');
    return client;
  }
}
