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
  // No retries on SQLite (@nestjs/typeorm's default is 9, 3 s apart): a file that cannot be opened
  // or migrated now will not be in 3 s, and a start-up error should show at once, not 27 s later
  // (nor retry in the background of a process, or a test, that has moved on).
  return { type: 'better-sqlite3', database: database.path, enableWAL: file, retryAttempts: 0, ...schema };
}
