import type { ClientDefinition } from '../../contracts/multi-token-auth.options';
import { fail } from './option.checks';
import { normalizeScopes } from '../scopes/scope-set';

/** A client with every setting filled in, as the library keeps it. */
export type ResolvedClient = Required<ClientDefinition>;

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
    scopes: client.scopes ? normalizeScopes(client.scopes) : null,
    defaultScopes: client.defaultScopes ? normalizeScopes(client.defaultScopes) : null,
  };
  const { name, scopes, defaultScopes } = resolved;
  // Without `scopes` a login could ask for any scope at all: the defaults would limit nothing.
  if (defaultScopes && !scopes) fail(`Client "${name}": defaultScopes needs scopes (what its tokens may hold).`);
  const outside = defaultScopes?.filter((scope) => !(scopes ?? []).includes(scope)) ?? [];
  if (outside.length > 0) fail(`Client "${name}": defaultScopes ${outside.join(', ')} not in its scopes.`);
  return resolved;
}
