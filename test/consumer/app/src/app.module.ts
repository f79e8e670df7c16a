import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MultiTokenAuthModule, multiTokenAuthEntities, multiTokenAuthMigrations } from 'nestjs-multi-token-auth';
import { AccountModule } from './account.module.js';
import { CreateUsers1795420000000 } from './migrations/1795420000000-create-users.js';
import { User } from './user.entity.js';

const url = process.env['DATABASE_URL'] ?? 'sqlite:app.sqlite';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      ...(url.startsWith('postgres://')
        ? { type: 'postgres' as const, url }
        : { type: 'better-sqlite3' as const, database: url.slice('sqlite:'.length) }),
      entities: [User, ...multiTokenAuthEntities(User)], // adds the token entity bound to User, with its foreign key
      migrations: [CreateUsers1795420000000, ...multiTokenAuthMigrations], // any order: the library's run after yours
      migrationsRun: true,
    }),
    MultiTokenAuthModule.forRoot({
      user: { entity: User, isActive: (user: User) => user.isActive },
      clients: [
        { name: 'web', tokenTtl: 86_400 }, // seconds
        { name: 'mobile', tokenTtl: 30 * 86_400, throttleRate: '3/m' },
        { name: 'api', tokenTtl: null }, // API keys never expire
      ],
    }),
    AccountModule,
  ],
})
export class AppModule {}
