import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { effectiveScopes } from '../../pure/scopes/scope-set';
import { parseRefillEvery } from '../../pure/quotas/quota.rule';
import type { QuotaStanding } from '../../services/tokens/token-quota.keeper';

/**
 * A session as `GET /auth/sessions` shows it: metadata only, never the token or its digest.
 * `scopes` is what the token may do now (`null`: no restriction).
 */
export function sessionView(token: AuthToken, currentId: string) {
  return {
    id: token.id,
    client: token.client.name,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    userAgent: token.userAgent,
    ip: token.ip,
    lastIp: token.lastIp ?? null,
    current: token.id === currentId,
    scopes: effectiveScopes(token, token.client),
  };
}

/** A quota as the API-key routes show it: the rule, what is left now, and when the next refill is due. */
export function quotaView(standing: QuotaStanding | null) {
  if (!standing) return null;
  const { quota, balance } = standing;
  const everyMs = quota.refill ? parseRefillEvery(quota.refill.every) : undefined;
  return {
    limit: quota.limit,
    refill: quota.refill ?? null,
    remaining: balance.remaining,
    nextRefillAt: everyMs === undefined ? null : new Date(balance.refilledAt + everyMs).toISOString(),
  };
}

/** An API key as `GET /auth/api-keys` shows it, with its quota's standing (`null`: no quota). */
export function apiKeyView(token: AuthToken, quota: QuotaStanding | null = null) {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    lastIp: token.lastIp ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    scopes: effectiveScopes(token, token.client),
    enabled: token.enabled !== false,
    metadata: token.metadata ?? null,
    replacedBy: token.replacedBy ?? null,
    allowedIps: token.allowedIps ?? null,
    rateLimit: token.rateLimit ?? null,
    quota: quotaView(quota),
  };
}
