import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MultiTokenAuthModule, ScryptPasswordHasher, type Clock } from 'nestjs-multi-token-auth';
import { AccountController } from './account/account.controller';
import { AuditTrailListener } from './audit/audit-trail.listener';
import type { DemoConfig } from './config/demo.config';
import { demoAuthOptions } from './demo-auth.options';
import { demoDataSourceOptions } from './demo-database';
import { DemoController } from './demo.controller';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { User } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

/** The demo app, wired exactly as docs/getting-started.md tells users to wire their own. */
@Module({})
export class AppModule {
  /** `deps` lets tests swap in a cheaper hasher and a manual clock; main.ts passes none. */
  static register(config: DemoConfig, deps: { hasher?: ScryptPasswordHasher; clock?: Clock } = {}): DynamicModule {
    const hasher = deps.hasher ?? new ScryptPasswordHasher();
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(demoDataSourceOptions(config.database)),
        TypeOrmModule.forFeature([User]),
        // The library's events (token.created, token.revoked…) reach @OnEvent listeners: the audit trail.
        EventEmitterModule.forRoot(),
        MultiTokenAuthModule.forRoot({ ...demoAuthOptions(config, hasher, deps.clock), globalGuard: true }),
      ],
      controllers: [DemoController, UsersController, OrdersController, AccountController],
      providers: [UsersService, OrdersService, AuditTrailListener, { provide: ScryptPasswordHasher, useValue: hasher }],
    };
  }
}
