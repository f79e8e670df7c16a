import {
  Brackets,
  type EntityManager,
  type ObjectLiteral,
  type QueryDeepPartialEntity,
  type Repository,
  type WhereExpressionBuilder,
} from 'typeorm';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import type {
  LockedTokenStore,
  NewToken,
  RevokedToken,
  TokenChanges,
  TokenFilter,
} from '../../contracts/token-store.interface';
import type { UserId } from '../../contracts/user-id';
import { quotaColumns } from './quota-balance.writes';

/**
 * `auth_tokens` through one TypeORM entity manager: the data source's, or a transaction's while a
 * user's issue lock is held. Every query is by primary key, digest or user (all indexed).
 */
/** A row as `DELETE … RETURNING` gives it back. */
interface DeletedRow {
  id: string;
  user_id: UserId;
  digest: string;
  client_id: number | string;
  ip: string | null;
  user_agent: string | null;
}

export class TypeOrmTokenTable implements LockedTokenStore {
  private readonly repository: Repository<AuthToken>;

  constructor(
    private readonly manager: EntityManager,
    entity: new () => AuthToken,
    private readonly userEntity: new () => object,
    private readonly userIdField: string,
  ) {
    this.repository = manager.getRepository(entity);
  }

  listActive(userId: UserId, now: Date, filter: TokenFilter = {}): Promise<AuthToken[]> {
    if (filter.ids?.length === 0) return Promise.resolve([]);
    const query = this.repository
      .createQueryBuilder('token')
      .where('token.user_id = :userId', { userId })
      .andWhere(new Brackets((q) => q.where('token.expires_at IS NULL').orWhere('token.expires_at > :now', { now })));
    const { after, limit } = filter;
    if (after) {
      const position = { afterCreated: after.createdAt, afterId: after.id };
      query.andWhere(
        new Brackets((q) =>
          q
            .where('token.created_at < :afterCreated', position)
            .orWhere('(token.created_at = :afterCreated AND token.id < :afterId)', position),
        ),
      );
    }
    applyFilter(query, filter, 'token.').orderBy('token.created_at', 'DESC').addOrderBy('token.id', 'DESC');
    return (limit === undefined ? query : query.limit(limit)).getMany();
  }

  findUser(userId: UserId): Promise<object | null> {
    return this.manager.getRepository(this.userEntity).findOne({ where: { [this.userIdField]: userId } });
  }

  hasNamed(userId: UserId, name: string): Promise<boolean> {
    return this.repository
      .createQueryBuilder('token')
      .where('token.user_id = :userId', { userId })
      .andWhere('token.name = :name', { name })
      .getExists();
  }

  async insert(token: NewToken): Promise<AuthToken> {
    const { userId, quota, ...columns } = token;
    const record = this.repository.create({
      ...columns,
      ...quotaColumns(quota ?? null),
      metadata: columns.metadata ?? null,
      allowedIps: columns.allowedIps ?? null,
      rateLimit: columns.rateLimit ?? null,
      familyId: columns.familyId ?? null,
      graceEndsAt: null,
      enabled: true,
      replacedBy: null,
      lastUsedAt: null,
      lastIp: null,
      user: { [this.userIdField]: userId },
    });
    // TypeORM's deep-partial type cannot follow `metadata`'s open record; the entity itself is inserted.
    await this.repository.insert(record as QueryDeepPartialEntity<AuthToken>);
    record.userId = userId;
    return record;
  }

  async update(userId: UserId, tokenId: string, changes: TokenChanges): Promise<RevokedToken | null> {
    const token = await this.repository
      .createQueryBuilder('token')
      .where('token.id = :tokenId AND token.user_id = :userId', { tokenId, userId })
      .getOne();
    if (!token) return null;
    const { quota, ...others } = changes;
    const set = Object.fromEntries(Object.entries(others).filter(([, value]) => value !== undefined));
    if (quota !== undefined) Object.assign(set, quotaColumns(quota));
    if (Object.keys(set).length > 0) await this.repository.update({ id: tokenId }, set);
    const { id, digest, clientId, ip, userAgent } = token;
    return { id, userId, digest, clientId, ip, userAgent };
  }

  revoke(userId: UserId, filter: TokenFilter): Promise<RevokedToken[]> {
    if (filter.ids?.length === 0) return Promise.resolve([]);
    const query = this.repository.createQueryBuilder().delete().where('user_id = :userId', { userId });
    return this.deleteReturning(applyFilter(query, filter, '').getQueryAndParameters());
  }

  purgeExpired(now: Date, userId?: UserId, limit?: number): Promise<RevokedToken[]> {
    const query = this.repository.createQueryBuilder().delete();
    if (limit === undefined) {
      query.where('expires_at IS NOT NULL AND expires_at <= :now', { now });
      if (userId !== undefined) query.andWhere('user_id = :userId', { userId });
      return this.deleteReturning(query.getQueryAndParameters());
    }
    // A bounded batch, longest expired first, found through the expires_at index.
    const batch = this.repository
      .createQueryBuilder('expired')
      .select('expired.id')
      .where('expired.expires_at IS NOT NULL AND expired.expires_at <= :now', { now })
      .orderBy('expired.expires_at', 'ASC')
      .limit(limit);
    if (userId !== undefined) batch.andWhere('expired.user_id = :userId', { userId });
    // The expiry again on the rows deleted: a refresh or an idle-timeout slide that moved a token's
    // expiry while this statement waited for its row keeps the token.
    query
      .where(`id IN (${batch.getQuery()})`, batch.getParameters())
      .andWhere('expires_at IS NOT NULL AND expires_at <= :now', { now });
    return this.deleteReturning(query.getQueryAndParameters());
  }

  /**
   * `DELETE … RETURNING` (PostgreSQL, and SQLite ≥ 3.35, which better-sqlite3 bundles): the rows
   * deleted by this very statement, so concurrent revocations never report the same token twice.
   * TypeORM's `.returning()` is refused for SQLite, so the clause is appended to its SQL.
   */
  private async deleteReturning([sql, parameters]: [string, unknown[]]): Promise<RevokedToken[]> {
    const runner = this.manager.queryRunner ?? this.manager.connection.createQueryRunner();
    try {
      const result = await runner.query(
        `${sql} RETURNING id, user_id, digest, client_id, ip, user_agent`,
        parameters,
        true,
      );
      const rows = (result.records ?? []) as DeletedRow[];
      return rows.map((row) => ({
        id: row.id,
        userId: row.user_id,
        digest: row.digest,
        clientId: Number(row.client_id),
        ip: row.ip,
        userAgent: row.user_agent,
      }));
    } finally {
      if (!this.manager.queryRunner) await runner.release();
    }
  }
}

/** Narrows a select or delete to the filter; `prefix` is the alias (`'token.'`) or `''`. */
function applyFilter<Q extends WhereExpressionBuilder & ObjectLiteral>(
  query: Q,
  filter: TokenFilter,
  prefix: string,
): Q {
  if (filter.clientId !== undefined) query.andWhere(`${prefix}client_id = :clientId`, { clientId: filter.clientId });
  if (filter.excludeClientId !== undefined) {
    query.andWhere(`${prefix}client_id <> :excluded`, { excluded: filter.excludeClientId });
  }
  if (filter.exceptTokenId !== undefined) query.andWhere(`${prefix}id <> :except`, { except: filter.exceptTokenId });
  if (filter.ids !== undefined) query.andWhere(`${prefix}id IN (:...ids)`, { ids: filter.ids });
  if (filter.familyId !== undefined) {
    query.andWhere(`(${prefix}id = :family OR ${prefix}family_id = :family)`, { family: filter.familyId });
  }
  if (filter.excludeRotated) query.andWhere(`${prefix}grace_ends_at IS NULL`);
  return query;
}
