import { Body, Controller, HttpCode, HttpStatus, Ip, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiRoute,
  CurrentToken,
  CurrentUser,
  DisallowApiKeys,
  Public,
  RouteErrorsInterceptor,
  type AuthToken,
} from 'nestjs-multi-token-auth';
import { DEMO_ROUTE_DOCS } from '../docs/demo-routes.docs';
import { ChangePasswordDto, CreateUserDto, DeactivateDto } from './user.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

/** The library's error handling here too: codes on 400s, Retry-After on 429s, 503 only for outages. */
@Controller('users')
@UseInterceptors(RouteErrorsInterceptor)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Public()
  @ApiRoute(DEMO_ROUTE_DOCS.register)
  @Post()
  async register(@Body() body: CreateUserDto): Promise<{ id: number; username: string }> {
    const user = await this.users.register(body.username, body.password);
    return { id: user.id, username: user.username };
  }

  @ApiRoute(DEMO_ROUTE_DOCS.changePassword)
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

  @ApiRoute(DEMO_ROUTE_DOCS.deactivate)
  @Post('me/deactivate')
  @DisallowApiKeys()
  @HttpCode(HttpStatus.NO_CONTENT)
  async deactivate(@CurrentUser() user: User, @Body() body: DeactivateDto, @Ip() ip: string): Promise<void> {
    await this.users.deactivate(user, body.password, ip);
  }
}
