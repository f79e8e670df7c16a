import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  type EntitySubscriberInterface,
  type QueryRunner,
  type RemoveEvent,
  type SoftRemoveEvent,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
  type UpdateEvent,
} from 'typeorm';
import { RevocationJournal } from '../storage/revocation.journal';
import { TokenStore } from '../../contracts/token-store.interface';
import { CachedTokenStore } from './cached-token.store';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { UserId } from '../../contracts/user-id';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** One user's id, or every user (TypeORM could not say which). */
type Change = { userId: UserId } | 'all';

/**
 * Brings the app's own changes to its users into the verified-token cache: an update or removal of
 * a user made through TypeORM (`save`, `remove`, `update`, `delete`, soft delete) evicts that user's
 * cached tokens, or the whole cache when TypeORM cannot say which user (an update by criteria).
 * Inside a transaction it evicts again after the commit, so a request that read the user before
 * the commit cannot leave the old user cached. Each change is also written to the revocation journal
 * through the change's own query runner (in its transaction, when there is one), so that every
 * other instance evicts it too, Redis or not. Changes made with raw SQL are not seen: they reach
 * requests once the cache TTL has passed.
 */
@Injectable()
export class UserChangesSubscriber implements EntitySubscriberInterface<object>, OnModuleInit {
  // Per transaction, keyed so that many changes to one user evict once after the commit.
  private readonly pending = new WeakMap<QueryRunner, Map<string, Change>>();

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly dataSource: DataSource,
    @Inject(RevocationJournal) private readonly journal: RevocationJournal | null,
  ) {}

  onModuleInit(): void {
    // The way @nestjs/typeorm documents for subscribers that need injection. With the journal it
    // listens even without a cache here: other instances may have one.
    if (this.store instanceof CachedTokenStore || this.journal) this.dataSource.subscribers.push(this);
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own signature
  listenTo(): Function {
    return this.options.user.entity;
  }

  afterUpdate(event: UpdateEvent<object>): Promise<void> {
    return this.changed(event.queryRunner, this.idOf(event.databaseEntity) ?? this.idOf(event.entity));
  }

  afterRemove(event: RemoveEvent<object>): Promise<void> {
    return this.changed(
      event.queryRunner,
      this.idOf(event.databaseEntity) ?? this.idOf(event.entity) ?? this.id(event.entityId),
    );
  }

  afterSoftRemove(event: SoftRemoveEvent<object>): Promise<void> {
    return this.changed(
      event.queryRunner,
      this.idOf(event.databaseEntity) ?? this.idOf(event.entity) ?? this.id(event.entityId),
    );
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    for (const change of this.pending.get(event.queryRunner)?.values() ?? []) this.evict(change);
    this.pending.delete(event.queryRunner);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.pending.delete(event.queryRunner);
  }

  private async changed(queryRunner: QueryRunner, userId: UserId | undefined): Promise<void> {
    const change: Change = userId === undefined ? 'all' : { userId };
    // Awaited by TypeORM before it commits: a change that cannot be journaled fails with it.
    await this.journal?.recordUserChange(queryRunner, userId);
    this.evict(change);
    if (!queryRunner.isTransactionActive) return;
    let changes = this.pending.get(queryRunner);
    if (!changes) this.pending.set(queryRunner, (changes = new Map<string, Change>()));
    changes.set(change === 'all' ? 'all' : `user:${String(change.userId)}`, change);
  }

  private evict(change: Change): void {
    if (!(this.store instanceof CachedTokenStore)) return;
    if (change === 'all') this.store.evictAll();
    else this.store.evictUser(change.userId);
  }

  private idOf(entity: unknown): UserId | undefined {
    if (typeof entity !== 'object' || entity === null) return undefined;
    return this.id((entity as Record<string, unknown>)[this.options.user.idField]);
  }

  private id(value: unknown): UserId | undefined {
    if (typeof value === 'string' || typeof value === 'number') return value;
    return typeof value === 'object' && value !== null ? this.idOf(value) : undefined;
  }
}
