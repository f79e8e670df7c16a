import type { INestApplicationContext } from '@nestjs/common';
import { RESOLVED_OPTIONS } from '../../contracts/multi-token-auth.constants';
import type { ResolvedOptions } from '../../contracts/resolved-options';

interface LoginOperation {
  requestBody?: {
    content?: { [type: string]: { schema?: { properties?: { [name: string]: { example?: unknown } } } } };
  };
}

/**
 * The client a login example should name in this app: the first of the `clients` option that
 * signs in with a password and answers a bearer token (not the API-key client, not the legacy
 * one, a cookie client only when there is nothing else). `undefined` when none can sign in.
 */
export function loginExampleClient(options: ResolvedOptions): string | undefined {
  const canLogIn = options.clients.filter(
    (client) => client.name !== options.apiKeyClient && client.name !== options.legacyTokens?.client,
  );
  return (canLogIn.find((client) => !client.cookie) ?? canLogIn[0])?.name;
}

/**
 * Names one of the app's own clients in the login body's example, so that "Try it out" in the
 * UI, and any client generated from the examples, signs in instead of getting 400 `unknown_client`.
 */
export function nameLoginClient(app: INestApplicationContext, paths: { [path: string]: object }): void {
  const client = loginExampleClient(app.get<ResolvedOptions>(RESOLVED_OPTIONS, { strict: false }));
  if (client === undefined) return;
  // Found by its path and body, whatever the route prefix, global prefix or operation ids.
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.endsWith('/login')) continue;
    const body = (operations as { post?: LoginOperation }).post?.requestBody?.content?.['application/json'];
    const properties = body?.schema?.properties;
    if (properties?.username && properties.password && properties.client) properties.client.example = client;
  }
}
