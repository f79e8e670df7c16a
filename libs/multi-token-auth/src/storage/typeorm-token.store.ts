import type { Type } from '@nestjs/common';
import { Brackets, type DataSource } from 'typeorm';
import { authTokenEntityFor } from '../entities/auth-entities.factory';
import type { AuthToken } from '../entities/auth-token.entity';
import { KeyedMutex } from '../tokens/keyed-mutex';
import type { UserId } from '../users/user.accessor';
import { DigestLookup } from './digest-lookup';
import type { LockedTokenStore, NewToken, RevokedToken, TokenFilter, TokenStore } from './token-store.interface';
import { TypeOrmTokenTable } from './typeorm-token.table';

/** Drivers whose SQL this store is tested on (the conformance suite runs on both). */
const SQLITE = ['better-sqlite3', 'sqljs', 'capacitor'];
const SUPPORTED = [...SQLITE, 'postgres'];

/**
 * The default `TokenStore`: `auth_tokens` in the app's own TypeORM data source.
 *
 * @example
 * new TypeOrmTokenStore(dataSource, User) // what the module builds unless `tokenStore` is given
 */
export class TypeOrmTokenStore implements TokenStore {
  private readonly entity;
  private readonly table: TypeOrmTokenTable;
  private readonly mutex = new KeyedMutex();
  private lookup?: DigestLookup;

  /**
   * @param dataSource the app's data source, with `...multiTokenAuthEntities(userEntity)` registered
   * @param userEntity the app's user entity
   * @param userIdField the user entity's primary-key property
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly userEntity: Type<object>,
    private readonly userIdField = 'id',
  ) {
    const user = userEntity.name;
    this.entity = authTokenEntityFor(userEntity);
    if (!dataSource.hasMetadata(this.entity)) {
      throw new Error(
        `multi-token-auth: the token entity for ${user} is not registered with TypeORM. ` +
          `Add ...multiTokenAuthEntities(${user}) to the entities of your data source, ` +
          'and multiTokenAuthMigrations to its migrations.',
      );
    }
    if (!SUPPORTED.includes(dataSource.options.type)) {
      throw new Error(
        `multi-token-auth: the TypeORM token store supports PostgreSQL and SQLite, not "${dataSource.options.type}". ` +
          'Pass your own TokenStore with the tokenStore option (describeTokenStore() is its contract).',
      );
    }
    this.table = new TypeOrmTokenTable(dataSource.manager, this.entity, userEntity, userIdField);
  }

  findByDigest(digest: string): Promise<AuthToken | null> {
    this.lookup ??= new DigestLookup(this.dataSource, this.dataSource.getMetadata(this.entity));
    return this.lookup.find(digest);
  }

  findActive(userId: UserId, tokenId: string, now: Date): Promise<AuthToken | null> {
    return this.table.listActive(userId, now, { ids: [tokenId] }).then(([token]) => token ?? null);
  }

  listActive(userId: UserId, now: Date, filter?: TokenFilter): Promise<AuthToken[]> {
    return this.table.listActive(userId, now, filter);
  }

  findUser(userId: UserId): Promise<object | null> {
    return this.table.findUser(userId);
  }

  hasNamed(userId: UserId, name: string): Promise<boolean> {
    return this.table.hasNamed(userId, name);
  }

  insert(token: NewToken): Promise<AuthToken> {
    return this.table.insert(token);
  }

  revoke(userId: UserId, filter: TokenFilter): Promise<RevokedToken[]> {
    return this.table.revoke(userId, filter);
  }

  purgeExpired(now: Date, userId?: UserId, limit?: number): Promise<RevokedToken[]> {
    return this.table.purgeExpired(now, userId, limit);
  }

  async setExpiry(token: Pick<RevokedToken, 'id' | 'digest'>, expiresAt: Date | null): Promise<boolean> {
    const result = await this.dataSource.getRepository(this.entity).update({ id: token.id }, { expiresAt });
    return (result.affected ?? 0) > 0;
  }

  async touch(tokenId: string, now: Date, intervalMs: number, expiresAt?: Date | null): Promise<void> {
    const since = new Date(now.getTime() - intervalMs);
    await this.dataSource
      .getRepository(this.entity)
      .createQueryBuilder()
      .update()
      .set(expiresAt === undefined ? { lastUsedAt: now } : { lastUsedAt: now, expiresAt })
      .where('id = :tokenId', { tokenId })
      .andWhere(new Brackets((q) => q.where('last_used_at IS NULL').orWhere('last_used_at <= :since', { since })))
      .execute();
  }

  /**
   * SQLite (better-sqlite3) shares one connection, on which concurrent transactions would nest, so
   * there every locked section is serialized in-process; PostgreSQL gets a transaction holding a
   * row lock on the user (`SELECT … FOR UPDATE`), which also holds across app instances.
   */
  withUserLock<T>(userId: UserId, work: (store: LockedTokenStore) => Promise<T>): Promise<T> {
    if (SQLITE.includes(this.dataSource.options.type)) return this.mutex.run('sqlite', () => work(this.table));
    return this.mutex.run(`user:${userId}`, () =>
      this.dataSource.transaction(async (manager) => {
        await manager
          .getRepository(this.userEntity)
          .createQueryBuilder('u')
          .setLock('pessimistic_write')
          .where(`u.${this.userIdField} = :userId`, { userId })
          .getOne();
        return work(new TypeOrmTokenTable(manager, this.entity, this.userEntity, this.userIdField));
      }),
    );
  }
}
