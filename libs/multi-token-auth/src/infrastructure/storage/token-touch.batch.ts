import type { ObjectLiteral, Repository } from 'typeorm';
import type { TokenTouch } from '../../contracts/token-store.interface';

/**
 * Applies many `lastUsedAt` writes as one `UPDATE`: each token's values picked by `CASE id`, the
 * rows by `id IN (…)`, and the conditions of `touch` per row: nothing is written for a token whose
 * stored `lastUsedAt` is within its interval of its use, or whose expiry had passed at its use (a
 * refresh or a revocation shortened it meanwhile: a late flush must not slide it back to life).
 * `expires_at` is set only for the tokens that carry a sliding expiry, and only moved later: a flush
 * that lands after a refresh (which set a later expiry from a later time) keeps the refresh's, as
 * the cache assumes (`CachedTokenStore.touch`). A token that had no expiry gets the sliding one.
 *
 * Values go through TypeORM's parameters, so a `Date` is written as the driver writes the column's
 * own values (SQLite's UTC text, PostgreSQL's instant); PostgreSQL needs the casts, as it would
 * otherwise type a `CASE` of bare parameters as text.
 *
 * @param sqlite whether the data source is SQLite (no casts there)
 */
export async function touchMany(
  repository: Repository<ObjectLiteral>,
  touches: readonly TokenTouch[],
  sqlite: boolean,
): Promise<void> {
  if (touches.length === 0) return;
  const time = (name: string) => (sqlite ? `:${name}` : `CAST(:${name} AS timestamptz)`);
  const parameters: Record<string, unknown> = {};
  const usedAt: string[] = [];
  const since: string[] = [];
  const expiry: string[] = [];
  const address: string[] = [];
  touches.forEach((touch, i) => {
    if (touch.ip !== undefined) {
      parameters[`ip${i}`] = touch.ip?.slice(0, 45) ?? null;
      address.push(`WHEN :id${i} THEN :ip${i}`);
    }
    parameters[`id${i}`] = touch.tokenId;
    parameters[`now${i}`] = touch.now;
    parameters[`since${i}`] = new Date(touch.now.getTime() - touch.intervalMs);
    usedAt.push(`WHEN :id${i} THEN ${time(`now${i}`)}`);
    since.push(`WHEN :id${i} THEN ${time(`since${i}`)}`);
    if (touch.expiresAt === undefined) return;
    parameters[`expires${i}`] = touch.expiresAt;
    const expires = time(`expires${i}`);
    expiry.push(
      `WHEN :id${i} THEN CASE WHEN expires_at IS NOT NULL AND expires_at > ${expires} THEN expires_at ELSE ${expires} END`,
    );
  });
  const nowOf = `CASE id ${usedAt.join(' ')} END`;
  const set: Record<string, () => string> = { lastUsedAt: () => nowOf };
  if (expiry.length > 0) set.expiresAt = () => `CASE id ${expiry.join(' ')} ELSE expires_at END`;
  if (address.length > 0) set.lastIp = () => `CASE id ${address.join(' ')} ELSE last_ip END`;
  await repository
    .createQueryBuilder()
    .update()
    .set(set)
    .where(`id IN (${touches.map((_touch, i) => `:id${i}`).join(', ')})`)
    .andWhere(`(last_used_at IS NULL OR last_used_at <= CASE id ${since.join(' ')} END)`)
    .andWhere(`(expires_at IS NULL OR expires_at > ${nowOf})`)
    .setParameters(parameters)
    .execute();
}
