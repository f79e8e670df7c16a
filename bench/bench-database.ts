import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import {
  MultiTokenAuthModule,
  multiTokenAuthEntities,
  multiTokenAuthMigrations,
  type MultiTokenAuthOptions,
  type TokenStore,
} from 'nestjs-multi-token-auth';
import { DataSource } from 'typeorm';
import { CreateUsers1763600000000 } from '../apps/demo/src/migrations/create-users.migration';
import { User } from '../apps/demo/src/users/user.entity';
import { startPostgres } from '../libs/multi-token-auth/src/testing/postgres.server';

/**
 * The benchmarks' database, migrated like the demo's: a fresh PostgreSQL database on a server the
 * harness starts when BENCH_DB is `postgres` (stopped when the process exits), else a fresh SQLite
 * file in WAL mode.
 */
export async function benchDatabase(): Promise<TypeOrmModuleOptions> {
  const schema = {
    entities: [User, ...multiTokenAuthEntities(User)],
    migrations: [CreateUsers1763600000000, ...multiTokenAuthMigrations],
    migrationsRun: true,
  };
  if ((process.env.BENCH_DB ?? 'sqlite') === 'postgres') {
    // The driver's server (BENCH_DATABASE_URL), on the load generator's core, as a database on
    // another machine would be; else one of this process's own (sharing its core).
    if (process.env.BENCH_DATABASE_URL) return { type: 'postgres', url: process.env.BENCH_DATABASE_URL, ...schema };
    const server = await startPostgres();
    process.once('exit', () => server.stop());
    return { type: 'postgres', url: await server.createDatabase(), ...schema };
  }
  const file = join(mkdtempSync(join(tmpdir(), 'mta-bench-')), 'bench.sqlite');
  return { type: 'better-sqlite3', database: file, enableWAL: true, ...schema };
}

/**
 * The benchmarks' database and the library on it, as the demo's user table and one `web` client:
 * the store is the bench's own (counting or timing) TypeORM store, the rest of the options its own.
 */
export async function benchAuthModules(
  storeOn: (dataSource: DataSource) => TokenStore,
  options: Partial<MultiTokenAuthOptions> = {},
  mountControllers = false,
): Promise<DynamicModule[]> {
  return [
    TypeOrmModule.forRoot(await benchDatabase()),
    MultiTokenAuthModule.forRootAsync({
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => ({
        user: { entity: User },
        clients: [{ name: 'web', tokenTtl: 86_400 }],
        apiKeyClient: null,
        tokenStore: storeOn(dataSource),
        ...options,
      }),
      mountControllers,
    }),
  ];
}
