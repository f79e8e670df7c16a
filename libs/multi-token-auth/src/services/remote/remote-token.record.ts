import { AuthClient } from '../../contracts/entities/auth-client.entity';
import { AuthToken } from '../../contracts/entities/auth-token.entity';
import { IntrospectedUser } from '../../contracts/introspected-user';
import type { ActiveToken } from '../../infrastructure/remote/owner.client';

/** A token known from the owner's introspection: an `AuthToken` like any the guards read, with nothing stored here. */
export class RemoteToken extends AuthToken<IntrospectedUser> {}

/** This service's rate limit for each client name (`null`: none). */
export type ClientRates = ReadonlyMap<string, string | null>;

/**
 * The record the guards read for an introspected token: its id (`jti`), subject, client (with this
 * service's rate for it, and as what it grants the token's effective scopes, introspection's
 * `scope`), expiry, its own scope list, the key's own rate limit and address list. Frozen: one
 * record serves every request until it is evicted.
 */
export function remoteRecord(
  answer: ActiveToken,
  digest: string,
  rates: ClientRates,
  defaultRate: string | null,
): RemoteToken {
  const list = (text: string | undefined) =>
    text === undefined ? null : text.split(' ').filter((scope) => scope.length > 0);
  // What the client allows the token now (`scope`), and the token's own list (`own_scope`): the
  // two `@RequireGrantedScopes()` compares, as on the owner.
  const scopes = list(answer.scope);
  const own = list(answer.own_scope);
  const client = new AuthClient();
  client.id = clientNumber(answer.client_id);
  client.name = answer.client_id;
  client.tokenTtl = null;
  client.maxTokensPerUser = null;
  client.throttleRate = rates.has(answer.client_id) ? (rates.get(answer.client_id) ?? null) : defaultRate;
  client.idleTimeout = null;
  client.absoluteLifetime = null;
  client.scopes = scopes;
  client.defaultScopes = null;
  const user = new IntrospectedUser();
  user.id = answer.sub;
  user.username = answer.username ?? null;
  const token = new RemoteToken();
  Object.assign(token, {
    id: answer.jti,
    user: Object.freeze(user),
    userId: answer.sub,
    clientId: client.id,
    client: Object.freeze(client),
    name: null,
    digest,
    createdAt: new Date((answer.iat ?? 0) * 1000),
    expiresAt: answer.exp === undefined ? null : new Date(answer.exp * 1000),
    lastUsedAt: null,
    lastIp: null,
    userAgent: null,
    ip: null,
    scopes: own,
    enabled: true,
    metadata: null,
    replacedBy: null,
    allowedIps: Array.isArray(answer.allowed_ips) ? answer.allowed_ips : null,
    rateLimit: typeof answer.rate_limit === 'string' ? answer.rate_limit : null,
    familyId: null,
    graceEndsAt: null,
    quota: null,
    quotaSetAt: null,
    quotaRemaining: null,
    quotaRefilledAt: null,
    quotaSeq: null,
  } satisfies Omit<RemoteToken, never>);
  return Object.freeze(token);
}

/**
 * A stable number for a client name (FNV-1a, 31 bits), the same on every instance of this service:
 * the per user+client rate limit's counter is keyed by it, as the owner's is by its client's id.
 */
export function clientNumber(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 1;
}
