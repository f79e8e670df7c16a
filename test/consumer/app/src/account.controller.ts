import { Body, ConflictException, Controller, Get, Inject, Post, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsString, Length } from 'class-validator';
import {
  AllowClients,
  ClientRateLimit,
  CurrentToken,
  CurrentUser,
  MultiTokenAuthGuard,
  PasswordHasher,
  Public,
  type AuthToken,
} from 'nestjs-multi-token-auth';
import type { Repository } from 'typeorm';
import { User } from './user.entity.js';

export class RegisterDto {
  @IsString()
  @Length(3, 150)
  username!: string;

  @IsString()
  @Length(8, 1024)
  password!: string;
}

@Controller()
export class RegistrationController {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher, // the hasher login verifies with
  ) {}

  @Public() // no token needed, also with globalGuard: true
  @Post('users')
  async register(@Body() body: RegisterDto) {
    if (await this.users.existsBy({ username: body.username })) throw new ConflictException('Username taken.');
    const passwordHash = await this.hasher.hash(body.password);
    const user = await this.users.save(this.users.create({ username: body.username, passwordHash }));
    return { id: user.id, username: user.username };
  }
}

@Controller()
@UseGuards(MultiTokenAuthGuard) // every route below needs a bearer token
export class ProfileController {
  @Get('me')
  me(@CurrentUser() user: User, @CurrentToken() token: AuthToken) {
    return { id: user.id, username: user.username, client: token.client.name };
  }

  @AllowClients('web') // web sessions only: other clients get 403
  @Get('billing')
  billing() {
    return { plan: 'pro' };
  }

  @ClientRateLimit() // counted against the user+client budget: 429 past the client's throttleRate
  @Get('search')
  search() {
    return [];
  }
}
