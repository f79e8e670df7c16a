import { Test, type TestingModule } from '@nestjs/testing';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { authTokenEntityFor, multiTokenAuthEntities } from '../contracts/entities/auth-entities.factory';
import type { AuthToken } from '../contracts/entities/auth-token.entity';
import { multiTokenAuthMigrations } from '../pure/migrations/multi-token-auth.migrations';
import { MultiTokenAuthModule } from '../multi-token-auth.module';
import type { MultiTokenAuthExtras, MultiTokenAuthOptions } from '../contracts/multi-token-auth.options';
import { ScryptPasswordHasher } from '../pure/passwords/scrypt-password.hasher';
import { CreateTestUsers1000000000000, TestUser } from './test-user.entity';

/** A cheap but real scrypt, so specs that hash stay fast. */
export const testHasher = new ScryptPasswordHasher(2 ** 10);

/**
 * The test user table and the library's tables, made by the migrations: in-memory SQLite, or the
 * PostgreSQL database at `postgresUrl`.
 */
export function testDatabase(postgresUrl?: string, migrationsRun = true) {
  const schema = {
    entities: [TestUser, ...multiTokenAuthEntities(TestUser)],
    migrations: [CreateTestUsers1000000000000, ...multiTokenAuthMigrations],
    migrationsRun,
  };
  return postgresUrl
    ? TypeOrmModule.forRoot({ type: 'postgres', url: postgresUrl, ...schema })
    : TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', ...schema });
}

export interface Fixture {
  module: TestingModule;
  users: Repository<TestUser>;
  /** The stored token rows, read around the library (what a second connection would see). */
  tokens: Repository<AuthToken>;
  createUser(username?: string, password?: string): Promise<TestUser>;
  close(): Promise<void>;
}

/**
 * Compiles the real module against an in-memory SQLite database, with the library's migrations
 * (tables are created by the migrations, exactly as in production).
 */
export async function setup(
  options: Partial<MultiTokenAuthOptions> & MultiTokenAuthExtras = {},
  extra: {
    controllers?: Parameters<typeof Test.createTestingModule>[0]['controllers'];
    /** More modules and providers of the "app" (EventEmitterModule, ScheduleModule, listeners…). */
    imports?: Parameters<typeof Test.createTestingModule>[0]['imports'];
    providers?: Parameters<typeof Test.createTestingModule>[0]['providers'];
    postgresUrl?: string;
    migrationsRun?: boolean;
  } = {},
): Promise<Fixture> {
  const module = await Test.createTestingModule({
    imports: [
      testDatabase(extra.postgresUrl, extra.migrationsRun),
      TypeOrmModule.forFeature([TestUser]),
      MultiTokenAuthModule.forRoot({
        user: { entity: TestUser },
        passwordHasher: testHasher,
        clients: [
          { name: 'web', tokenTtl: 3600 },
          { name: 'api', tokenTtl: null },
        ],
        mountControllers: false,
        ...options,
      }),
      ...(extra.imports ?? []),
    ],
    controllers: extra.controllers ?? [],
    providers: extra.providers ?? [],
  }).compile();
  await module.init();
  const users = module.get<Repository<TestUser>>(getRepositoryToken(TestUser));
  let counter = 0;
  const tokens = module.get(DataSource).getRepository(authTokenEntityFor(TestUser));
  return {
    module,
    users,
    tokens,
    async createUser(username = `user${++counter}`, password = 'password123') {
      return users.save(users.create({ username, passwordHash: await testHasher.hash(password), isActive: true }));
    },
    close: () => module.close(),
  };
}
