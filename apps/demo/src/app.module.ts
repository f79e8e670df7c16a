import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import {
  MultiTokenAuthModule,
  multiTokenAuthEntities,
  multiTokenAuthMigrations,
  ScryptPasswordHasher,
  type Clock,
} from 'nestjs-multi-token-auth';
import { AccountController } from './account/account.controller';
import { AuditTrailListener } from './audit/audit-trail.listener';
import type { DemoConfig, DemoDatabase } from './config/demo.config';
import { DemoController } from './demo.controller';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { CreateUsers1763600000000 } from './migrations/create-users.migration';
import { normalizeUsername, User } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

const schema = {
  entities: [User, ...multiTokenAuthEntities(User)],
  migrations: [CreateUsers1763600000000, ...multiTokenAuthMigrations],
  migrationsRun: true,
};

function dataSourceOptions(database: DemoDatabase): TypeOrmModuleOptions {
  if (database.type === 'postgres') return { type: 'postgres', url: database.url, ...schema };
  const file = database.path !== ':memory:';
  if (file) mkdirSync(dirname(database.path), { recursive: true });
  return { type: 'better-sqlite3', database: database.path, enableWAL: file, ...schema };
}

/** The demo app, wired exactly as the README tells users to wire their own. */
@Module({})
export class AppModule {
  /** `deps` lets tests swap in a cheaper hasher and a manual clock; main.ts passes none. */
  static register(config: DemoConfig, deps: { hasher?: ScryptPasswordHasher; clock?: Clock } = {}): DynamicModule {
    const hasher = deps.hasher ?? new ScryptPasswordHasher();
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.database)),
        TypeOrmModule.forFeature([User]),
        // The library's events (token.created, token.revoked…) reach @OnEvent listeners: the audit trail.
        EventEmitterModule.forRoot(),
        MultiTokenAuthModule.forRoot({
          // Usernames are compared case-insensitively: stored NFKC + lower case, and looked up the same way.
          user: { entity: User, normalizeUsername },
          clients: config.clients,
          // API keys live on the `api` client when AUTH_CLIENTS has one; without it the key routes answer 404.
          apiKeyClient: config.clients.some((client) => client.name === 'api') ? 'api' : null,
          defaultThrottleRate: config.defaultThrottleRate,
          tokenLimitPolicy: config.tokenLimitPolicy,
          passwordHasher: hasher,
          clock: deps.clock,
          // Several instances share revocations through Redis (one instance needs none).
          redis: config.redisUrl ? { url: config.redisUrl } : undefined,
          globalGuard: true,
        }),
      ],
      controllers: [DemoController, UsersController, OrdersController, AccountController],
      providers: [UsersService, OrdersService, AuditTrailListener, { provide: ScryptPasswordHasher, useValue: hasher }],
    };
  }
}
