import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { effectiveScopes } from '../../pure/scopes/scope-set';

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

/** An API key as `GET /auth/api-keys` shows it. */
export function apiKeyView(token: AuthToken) {
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
  };
}
