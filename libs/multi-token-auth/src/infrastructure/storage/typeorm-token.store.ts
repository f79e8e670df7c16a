import type { Type } from '@nestjs/common';
import { Brackets, type DataSource, type EntityManager } from 'typeorm';
import { authTokenEntityFor } from '../../contracts/entities/auth-entities.factory';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { KeyedMutex } from '../../pure/tokens/keyed-mutex';
import { DigestLookup } from './digest-lookup';
import { inPostgresTransaction } from './postgres.transaction';
import { withSqliteWriteLock } from './sqlite-write.lock';
import { DEFAULT_DATABASE_TIMEOUT_MS, stopsWhenAborted, withDeadline } from './store.deadline';
import type {
  LockedTokenStore,
  NewToken,
  RevokedToken,
  TokenChanges,
  TokenFilter,
  TokenStore,
  TokenTouch,
} from '../../contracts/token-store.interface';
import { touchMany } from './token-touch.batch';
import { saveQuotaBalances } from './quota-balance.writes';
import type { QuotaBalanceWrite } from '../../contracts/token-quota';
import { TypeOrmTokenTable } from './typeorm-token.table';
import type { UserId } from '../../contracts/user-id';

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
   * @param timeoutMs longest any call waits for the database (pool, locks and queries), in
   *   milliseconds: the `databaseTimeout` option; past it the call fails with `StoreTimeoutError` (503)
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly userEntity: Type<object>,
    private readonly userIdField = 'id',
    private readonly timeoutMs = DEFAULT_DATABASE_TIMEOUT_MS,
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
    // Bounded by `databaseTimeout` inside, where the driver can wait (not around a synchronous read).
    this.lookup ??= new DigestLookup(this.dataSource, this.dataSource.getMetadata(this.entity), this.timeoutMs);
    return this.lookup.find(digest);
  }

  findActive(userId: UserId, tokenId: string, now: Date): Promise<AuthToken | null> {
    return this.bounded('findActive', () =>
      this.table.listActive(userId, now, { ids: [tokenId] }).then(([token]) => token ?? null),
    );
  }

  listActive(userId: UserId, now: Date, filter?: TokenFilter): Promise<AuthToken[]> {
    return this.bounded('listActive', () => this.table.listActive(userId, now, filter));
  }

  findUser(userId: UserId): Promise<object | null> {
    return this.bounded('findUser', () => this.table.findUser(userId));
  }

  hasNamed(userId: UserId, name: string): Promise<boolean> {
    return this.bounded('hasNamed', () => this.table.hasNamed(userId, name));
  }

  // Outside a lock these are single statements: one the database applies after its caller's deadline
  // is the write the caller asked for, answered 503, and a retry is safe. Under `withUserLock` they
  // run through the locked table instead, where a late step rolls back (see there).
  insert(token: NewToken): Promise<AuthToken> {
    return this.bounded('insert', () => this.table.insert(token));
  }

  update(userId: UserId, tokenId: string, changes: TokenChanges): Promise<RevokedToken | null> {
    return this.bounded('update', () => this.table.update(userId, tokenId, changes));
  }

  revoke(userId: UserId, filter: TokenFilter): Promise<RevokedToken[]> {
    return this.bounded('revoke', () => this.table.revoke(userId, filter));
  }

  purgeExpired(now: Date, userId?: UserId, limit?: number): Promise<RevokedToken[]> {
    return this.bounded('purgeExpired', () => this.table.purgeExpired(now, userId, limit));
  }

  /**
   * In a transaction on PostgreSQL, so that an expiry change whose caller got a 503 is rolled back
   * rather than applied later: a refresh can move an expiry earlier, and a late write would leave
   * another instance's cached copy with the later one.
   */
  setExpiry(token: Pick<RevokedToken, 'id' | 'digest'>, expiresAt: Date | null): Promise<boolean> {
    const update = async (manager: EntityManager) =>
      ((await manager.getRepository(this.entity).update({ id: token.id }, { expiresAt })).affected ?? 0) > 0;
    return withDeadline(this.timeoutMs, 'setExpiry', (signal) =>
      this.isSqlite ? update(this.dataSource.manager) : this.transaction(signal, update),
    );
  }

  touch(tokenId: string, now: Date, intervalMs: number, expiresAt?: Date | null): Promise<void> {
    const since = new Date(now.getTime() - intervalMs);
    // A late `lastUsedAt` (and a sliding expiry, which only moves later) is harmless: not in a transaction.
    return this.bounded('touch', async () => {
      await this.dataSource
        .getRepository(this.entity)
        .createQueryBuilder()
        .update()
        .set(expiresAt === undefined ? { lastUsedAt: now } : { lastUsedAt: now, expiresAt })
        .where('id = :tokenId', { tokenId })
        .andWhere(new Brackets((q) => q.where('last_used_at IS NULL').orWhere('last_used_at <= :since', { since })))
        .execute();
    });
  }

  /** One statement for all of `touches` (`touchMany` in token-touch.batch.ts); not in a transaction either. */
  touchMany(touches: readonly TokenTouch[]): Promise<void> {
    return this.bounded('touchMany', () =>
      touchMany(this.dataSource.getRepository(this.entity), touches, this.isSqlite),
    );
  }

  /** One `UPDATE` a balance (`saveQuotaBalances` in quota-balance.writes.ts), outside any transaction. */
  saveQuotaBalances(writes: readonly QuotaBalanceWrite[]): Promise<void> {
    return this.bounded('saveQuotaBalances', () =>
      saveQuotaBalances(this.dataSource.getRepository(this.entity), writes),
    );
  }

  /**
   * SQLite (better-sqlite3) shares one connection, on which concurrent transactions would nest, so
   * there every locked section is serialized in-process first, then runs in a transaction that takes
   * the database's write lock before its first read (`withSqliteWriteLock`): another process (the CLI)
   * waits for it, and this one for theirs. PostgreSQL gets a transaction holding a row lock on the
   * user (`SELECT … FOR UPDATE`), which also holds across app instances.
   */
  withUserLock<T>(userId: UserId, work: (store: LockedTokenStore) => Promise<T>): Promise<T> {
    // The whole section, the wait for the mutex and a pool connection included, within the bound; a
    // section still queued when its caller got the 503 does nothing once its turn comes.
    const deadline = Date.now() + this.timeoutMs;
    return withDeadline(this.timeoutMs, 'withUserLock', (signal) => {
      const guarded = (store: LockedTokenStore) => work(stopsWhenAborted(store, signal));
      if (this.isSqlite) {
        return this.mutex.run('sqlite', () => {
          signal.throwIfAborted();
          const table = this.dataSource.getMetadata(this.entity).tableName;
          return withSqliteWriteLock(this.dataSource, table, { deadline, timeoutMs: this.timeoutMs }, (manager) =>
            guarded(new TypeOrmTokenTable(manager, this.entity, this.userEntity, this.userIdField)),
          );
        });
      }
      return this.mutex.run(`user:${userId}`, () => {
        signal.throwIfAborted();
        return this.transaction(signal, async (manager) => {
          await manager
            .getRepository(this.userEntity)
            .createQueryBuilder('u')
            .setLock('pessimistic_write')
            .where(`u.${this.userIdField} = :userId`, { userId })
            .getOne();
          return guarded(new TypeOrmTokenTable(manager, this.entity, this.userEntity, this.userIdField));
        });
      });
    });
  }

  private get isSqlite(): boolean {
    return SQLITE.includes(this.dataSource.options.type);
  }

  private bounded<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return withDeadline(this.timeoutMs, operation, work);
  }

  /**
   * A PostgreSQL transaction that the server bounds too: `statement_timeout` and `lock_timeout`
   * (a query, or the wait for the user's row lock, is cancelled by the server, which frees the
   * connection instead of holding it for a caller long gone) and `idle_in_transaction_session_timeout`
   * (should this process stall mid-transaction, the server ends it and releases the user's lock).
   * A connection that failed is given back as broken (`inPostgresTransaction`).
   */
  private transaction<T>(signal: AbortSignal, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inPostgresTransaction(this.dataSource, this.timeoutMs, signal, work);
  }
}
