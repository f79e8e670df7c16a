import { ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { Body, Controller, HttpCode, HttpStatus, Ip, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiErrorResponse,
  BEARER_SCHEME,
  CurrentToken,
  CurrentUser,
  DisallowApiKeys,
  Public,
  RouteErrorsInterceptor,
  type AuthToken,
} from 'nestjs-multi-token-auth';
import { ChangePasswordDto, CreateUserDto, DeactivateDto } from './user.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

/** The library's error handling here too: codes on 400s, Retry-After on 429s, 503 only for outages. */
@Controller('users')
@UseInterceptors(RouteErrorsInterceptor)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Public()
  @ApiResponse({ status: 201, description: 'Registered: `{id, username}`.' })
  @ApiErrorResponse(400, ['validation_failed'])
  @ApiErrorResponse(409, ['username_taken'])
  @Post()
  async register(@Body() body: CreateUserDto): Promise<{ id: number; username: string }> {
    const user = await this.users.register(body.username, body.password);
    return { id: user.id, username: user.username };
  }

  @ApiSecurity(BEARER_SCHEME)
  @ApiResponse({ status: 204, description: 'Changed; every other token of the user revoked (API keys too).' })
  @ApiErrorResponse(401, ['invalid_credentials'])
  @ApiErrorResponse(429, ['too_many_attempts', 'too_many_password_checks'])
  @Post('me/password')
  @DisallowApiKeys()
  @HttpCode(HttpStatus.NO_CONTENT)
  async changePassword(
    @CurrentUser() user: User,
    @CurrentToken() token: AuthToken,
    @Body() body: ChangePasswordDto,
    @Ip() ip: string,
  ): Promise<void> {
    await this.users.changePassword(user, token.id, body.currentPassword, body.newPassword, ip);
  }

  @ApiSecurity(BEARER_SCHEME)
  @ApiResponse({ status: 204, description: 'Deactivated; every token revoked.' })
  @ApiErrorResponse(401, ['invalid_credentials'])
  @ApiErrorResponse(429, ['too_many_attempts', 'too_many_password_checks'])
  @Post('me/deactivate')
  @DisallowApiKeys()
  @HttpCode(HttpStatus.NO_CONTENT)
  async deactivate(@CurrentUser() user: User, @Body() body: DeactivateDto, @Ip() ip: string): Promise<void> {
    await this.users.deactivate(user, body.password, ip);
  }
}
