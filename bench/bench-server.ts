import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  MultiTokenAuthGuard,
  MultiTokenAuthModule,
  multiTokenAuthEntities,
  multiTokenAuthMigrations,
  PassportBearerAuthGuard,
  ScryptPasswordHasher,
  TokenService,
} from 'nestjs-multi-token-auth';
import { DataSource } from 'typeorm';
import { CreateUsers1763600000000 } from '../apps/demo/src/migrations/create-users.migration';
import { User } from '../apps/demo/src/users/user.entity';

/** The same trivial handler behind no guard, the lean guard and the Passport guard. */
@Controller()
class BenchController {
  @Get('open')
  open() {
    return { ok: true };
  }

  @UseGuards(MultiTokenAuthGuard)
  @Get('lean')
  lean() {
    return { ok: true };
  }

  @UseGuards(PassportBearerAuthGuard)
  @Get('passport')
  passport() {
    return { ok: true };
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: join(mkdtempSync(join(tmpdir(), 'mta-bench-')), 'bench.sqlite'),
      enableWAL: true,
      entities: [User, ...multiTokenAuthEntities(User)],
      migrations: [CreateUsers1763600000000, ...multiTokenAuthMigrations],
      migrationsRun: true,
    }),
    MultiTokenAuthModule.forRoot({
      user: { entity: User },
      clients: [{ name: 'web', tokenTtl: 86_400 }],
      apiKeyClient: null,
      mountControllers: false,
    }),
  ],
  controllers: [BenchController],
})
class BenchModule {}

/** Starts on a free port and prints one JSON line: the port and a valid token. */
async function main(): Promise<void> {
  const app = await NestFactory.create(BenchModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const users = app.get(DataSource).getRepository(User);
  const passwordHash = await new ScryptPasswordHasher().hash('bench password');
  const user = await users.save(users.create({ username: 'bench', passwordHash, isActive: true }));
  const { token } = await app.get(TokenService).issue(user, { client: 'web' });
  const server = app.getHttpServer() as Server;
  const address = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port: address.port, token })}\n`);
}

void main();
