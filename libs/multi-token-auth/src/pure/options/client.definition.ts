import type { ClientDefinition } from '../../contracts/multi-token-auth.options';
import { fail } from './option.checks';
import { normalizeScopes } from '../scopes/scope-set';

/** A client with every setting filled in, as the library keeps it. */
export type ResolvedClient = Required<ClientDefinition>;

/** How this app serves a client's tokens: set in the module options only, never stored with the client. */
export const APP_ONLY_CLIENT_SETTINGS = ['cookie', 'rotateOnRefresh', 'rotationGrace'] as const;
export type AppOnlyClientSetting = (typeof APP_ONLY_CLIENT_SETTINGS)[number];

/** `client` without the app-only settings: what `auth_clients` stores. */
export function storedSettings<T extends Partial<ClientDefinition>>(client: T): Omit<T, AppOnlyClientSetting> {
  const stored: Partial<T> = { ...client };
  for (const setting of APP_ONLY_CLIENT_SETTINGS) delete stored[setting];
  return stored as Omit<T, AppOnlyClientSetting>;
}

/** The default `rotationGrace`, in seconds. */
export const DEFAULT_ROTATION_GRACE = 30;

/**
 * A client definition with its defaults filled in (`tokenTtl` from `defaultTtl`, the rest off),
 * scopes normalised, and the rules between settings checked; the settings' own shapes are checked
 * by `CLIENT_CHECKS` first. Throws an `Error` naming the client and the rule it breaks.
 */
export function resolveClient(client: ClientDefinition, defaultTtl: number | null): ResolvedClient {
  const resolved = {
    name: client.name,
    tokenTtl: client.tokenTtl === undefined ? defaultTtl : client.tokenTtl,
    maxTokensPerUser: client.maxTokensPerUser ?? null,
    throttleRate: client.throttleRate ?? null,
    idleTimeout: client.idleTimeout ?? null,
    absoluteLifetime: client.absoluteLifetime ?? null,
    cookie: client.cookie ?? false,
    rotateOnRefresh: client.rotateOnRefresh ?? false,
    rotationGrace: client.rotationGrace ?? DEFAULT_ROTATION_GRACE,
    scopes: client.scopes ? normalizeScopes(client.scopes) : null,
    defaultScopes: client.defaultScopes ? normalizeScopes(client.defaultScopes) : null,
  };
  const { name, scopes, defaultScopes } = resolved;
  // Without `scopes` a login could ask for any scope at all: the defaults would limit nothing.
  if (defaultScopes && !scopes) fail(`Client "${name}": defaultScopes needs scopes (what its tokens may hold).`);
  const outside = defaultScopes?.filter((scope) => !(scopes ?? []).includes(scope)) ?? [];
  if (outside.length > 0) fail(`Client "${name}": defaultScopes ${outside.join(', ')} not in its scopes.`);
  if (client.rotationGrace !== undefined && !resolved.rotateOnRefresh) {
    fail(`Client "${name}": rotationGrace needs rotateOnRefresh: true.`);
  }
  // Rotated-out tokens are kept (to recognise their reuse) until their successor would expire.
  if (resolved.rotateOnRefresh && resolved.tokenTtl === null && resolved.idleTimeout === null) {
    fail(`Client "${name}": rotateOnRefresh needs tokenTtl or idleTimeout (its tokens must expire).`);
  }
  return resolved;
}
