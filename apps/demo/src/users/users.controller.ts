import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { CurrentToken, CurrentUser, DisallowApiKeys, Public, type AuthToken } from 'nestjs-multi-token-auth';
import { ChangePasswordDto, CreateUserDto, DeactivateDto } from './user.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Public()
  @Post()
  async register(@Body() body: CreateUserDto): Promise<{ id: number; username: string }> {
    const user = await this.users.register(body.username, body.password);
    return { id: user.id, username: user.username };
  }

  @Post('me/password')
  @DisallowApiKeys()
  @HttpCode(HttpStatus.NO_CONTENT)
  async changePassword(
    @CurrentUser() user: User,
    @CurrentToken() token: AuthToken,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.users.changePassword(user, token.id, body.currentPassword, body.newPassword);
  }

  @Post('me/deactivate')
  @DisallowApiKeys()
  @HttpCode(HttpStatus.NO_CONTENT)
  async deactivate(@CurrentUser() user: User, @Body() body: DeactivateDto): Promise<void> {
    await this.users.deactivate(user, body.password);
  }
}
