import type { AuthClient } from '../../contracts/entities/auth-client.entity';

/**
 * When a token of `client` created at `createdAt` expires if it is issued, renewed or used at
 * `now`: now + `ttl` when the caller chose one (an API key's `expiresInDays`), else + the idle
 * timeout (sliding) or the client's `tokenTtl`; never past createdAt + the absolute lifetime.
 * `null` = never.
 */
export function expiryOf(
  client: Pick<AuthClient, 'tokenTtl' | 'idleTimeout' | 'absoluteLifetime'>,
  createdAt: Date,
  now: Date,
  ttl?: number | null,
): Date | null {
  const seconds = ttl === undefined ? (client.idleTimeout ?? client.tokenTtl) : ttl;
  const until = seconds === null ? Infinity : now.getTime() + seconds * 1000;
  const cap = client.absoluteLifetime === null ? Infinity : createdAt.getTime() + client.absoluteLifetime * 1000;
  const at = Math.min(until, cap);
  return at === Infinity ? null : new Date(at);
}
