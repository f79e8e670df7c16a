import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import {
  Column,
  DataSource,
  Entity,
  PrimaryGeneratedColumn,
  Table,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { multiTokenAuthEntities } from '../../contracts/entities/auth-entities.factory';
import { multiTokenAuthMigrations } from '../migrations/multi-token-auth.migrations';
import { MultiTokenAuthModule } from '../../multi-token-auth.module';
import type { UserOptions } from '../../contracts/multi-token-auth.options';
import { testHasher } from '../../testing/setup.fixture';

/** An app whose users sign in with an email and keep their hash in `hash`. */
@Entity('accounts')
class Account {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 150, unique: true })
  email!: string;

  @Column({ type: 'varchar', length: 255 })
  hash!: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  nickname!: string;
}

/** The same users with the hash hidden from every find. */
@Entity('hidden_hash_accounts')
class HiddenHashAccount {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 150 })
  email!: string;

  @Column({ type: 'varchar', length: 255, select: false })
  hash!: string;
}

class CreateAccounts1000000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'accounts',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'email', type: 'varchar', length: '150', isUnique: true },
          { name: 'hash', type: 'varchar', length: '255' },
          { name: 'nickname', type: 'varchar', length: '100', default: "''" },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('accounts');
  }
}

async function compile(user: UserOptions) {
  return Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: ':memory:',
        entities: [user.entity, ...multiTokenAuthEntities(user.entity)],
        migrations: user.entity === Account ? [CreateAccounts1000000000000, ...multiTokenAuthMigrations] : [],
        migrationsRun: user.entity === Account,
      }),
      MultiTokenAuthModule.forRoot({
        user,
        passwordHasher: testHasher,
        clients: [{ name: 'web' }, { name: 'api', tokenTtl: null }],
      }),
    ],
  }).compile();
}

const COLUMNS = 'Account has the columns id, email, hash, nickname';

describe('user field options, checked against the entity at start-up', () => {
  it.each<[string, Omit<UserOptions, 'entity'>, string]>([
    [
      'usernameField left at its default on an entity without username',
      { passwordHashField: 'hash' },
      `user.usernameField "username" is not a column of Account (${COLUMNS}); set it to the property that holds the login name.`,
    ],
    [
      'a misspelt passwordHashField',
      { usernameField: 'email', passwordHashField: 'passwordHash' },
      `user.passwordHashField "passwordHash" is not a column of Account (${COLUMNS}); set it to the property that holds the password hash.`,
    ],
    [
      'an idField that is no column',
      { idField: 'uuid', usernameField: 'email', passwordHashField: 'hash' },
      `user.idField "uuid" is not a column of Account (${COLUMNS}); set it to the property that holds its primary key.`,
    ],
    [
      'an idField that is a column but not the primary key',
      { idField: 'nickname', usernameField: 'email', passwordHashField: 'hash' },
      'user.idField "nickname" must be the single primary key column of Account (primary: id), which the tokens table references.',
    ],
  ])('refuses %s, naming the option, the entity and its columns', async (_case, fields, message) => {
    await expect(compile({ entity: Account, ...fields })).rejects.toThrow(`multi-token-auth: ${message}`);
  });

  it('refuses a password hash column declared with select: false (every login would fail)', async () => {
    await expect(
      compile({ entity: HiddenHashAccount, usernameField: 'email', passwordHashField: 'hash' }),
    ).rejects.toThrow('user.passwordHashField "hash" is declared with select: false on HiddenHashAccount');
  });
});

describe('POST /auth/login with usernameField: email', () => {
  let app: INestApplication;
  beforeAll(async () => {
    const module = await compile({ entity: Account, usernameField: 'email', passwordHashField: 'hash' });
    app = module.createNestApplication();
    await app.init();
    const accounts = app.get(DataSource).getRepository(Account);
    await accounts.save(accounts.create({ email: 'alice@example.com', hash: await testHasher.hash('password123') }));
  });
  afterAll(() => app.close());

  const login = (body: object) =>
    request(app.getHttpServer())
      .post('/auth/login')
      .send({ password: 'password123', client: 'web', ...body });

  it.each([
    ['email, the field’s own name', { email: 'alice@example.com' }],
    ['username', { username: 'alice@example.com' }],
    ['both, with the same value', { username: 'alice@example.com', email: 'alice@example.com' }],
  ])('signs in with %s', async (_case, body) => {
    const res = await login(body).expect(201);
    expect(res.body).toMatchObject({ client: 'web', user: { id: 1, username: 'alice@example.com' } });
  });

  it('refuses both with different values: 400 validation_failed, nothing issued', async () => {
    const tokens = app.get(DataSource).getRepository(multiTokenAuthEntities(Account)[1]);
    const before = await tokens.count();
    const res = await login({ username: 'alice@example.com', email: 'bob@example.com' }).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      message: ['username and email differ; send one of them.'],
      error: 'Bad Request',
      code: 'validation_failed',
    });
    expect(await tokens.count()).toBe(before);
  });

  it('a wrong password under email is the usual 401', async () => {
    const res = await login({ email: 'alice@example.com', password: 'wrong-password' }).expect(401);
    expect(res.body).toMatchObject({ code: 'invalid_credentials' });
  });
});
