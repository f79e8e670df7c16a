import type { ObjectLiteral, Repository } from 'typeorm';
import type { QuotaBalanceWrite, StoredQuota } from '../../contracts/token-quota';

/** The entity's quota columns for a stored quota (or none). */
export function quotaColumns(stored: StoredQuota | null): Record<string, unknown> {
  if (!stored) return { quota: null, quotaSetAt: null, quotaRemaining: null, quotaRefilledAt: null, quotaSeq: null };
  const { quota, setAt, balance } = stored;
  return {
    quota,
    quotaSetAt: setAt,
    quotaRemaining: balance.remaining,
    quotaRefilledAt: new Date(balance.refilledAt),
    quotaSeq: balance.seq,
  };
}

/**
 * Applies each balance with one `UPDATE` to its token and the keys it replaced, where the quota was
 * set at the same time (not changed since) and the stored `seq` is older. Values go through TypeORM's
 * parameters, so times are written as the driver writes the column's own values.
 */
export async function saveQuotaBalances(
  repository: Repository<ObjectLiteral>,
  writes: readonly QuotaBalanceWrite[],
): Promise<void> {
  for (const { tokenId, setAt, balance } of writes) {
    await repository
      .createQueryBuilder()
      .update()
      .set({
        quotaRemaining: balance.remaining,
        quotaRefilledAt: new Date(balance.refilledAt),
        quotaSeq: balance.seq,
      })
      .where('(id = :tokenId OR replaced_by = :tokenId)', { tokenId })
      .andWhere('quota_set_at = :setAt', { setAt })
      .andWhere('(quota_seq IS NULL OR quota_seq < :seq)', { seq: balance.seq })
      .execute();
  }
}
