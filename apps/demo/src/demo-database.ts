import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { multiTokenAuthEntities, multiTokenAuthMigrations } from 'nestjs-multi-token-auth';
import type { DemoDatabase } from './config/demo.config';
import { CreateUsers1763600000000 } from './migrations/create-users.migration';
import { User } from './users/user.entity';

const schema = {
  entities: [User, ...multiTokenAuthEntities(User)],
  migrations: [CreateUsers1763600000000, ...multiTokenAuthMigrations],
  migrationsRun: true,
};

/** The demo's data source (the web app's and the CLI's): SQLite file or memory, or PostgreSQL; migrations run at start-up. */
export function demoDataSourceOptions(database: DemoDatabase): TypeOrmModuleOptions {
  if (database.type === 'postgres') return { type: 'postgres', url: database.url, ...schema };
  const file = database.path !== ':memory:';
  if (file) mkdirSync(dirname(database.path), { recursive: true });
  return { type: 'better-sqlite3', database: database.path, enableWAL: file, ...schema };
}
