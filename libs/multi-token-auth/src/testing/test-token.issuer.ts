import type { INestApplicationContext } from '@nestjs/common';
import type { AuthToken } from '../contracts/entities/auth-token.entity';
import { TokenService } from '../services/tokens/token.service';
import type { UserId } from '../contracts/user-id';

/** What `issueTestToken()` issues: the client, and optionally scopes, lifetime and name. */
export interface TestTokenOptions {
  /** The client the token belongs to, by name; it must exist (the `clients` option or the database). */
  client: string;
  /**
   * The scopes the token holds, checked as a login's are (each allowed by the client, else 403
   * `scope_not_allowed`). Absent: the client's `defaultScopes`, else all its `scopes`.
   */
  scopes?: string[] | undefined;
  /** Lifetime in **seconds**, instead of the client's `tokenTtl`; `null` = never expires. */
  ttl?: number | null | undefined;
  /** Label shown in the session list, unique per user. Default: none. */
  name?: string | null | undefined;
}

/** A real token, as a login would have returned it. */
export interface TestToken {
  /** The plaintext token (`mta_…`). */
  token: string;
  /** `Bearer <token>`, the value of an `Authorization` header. */
  authorization: string;
  /** The stored row: id, client, scopes, `createdAt` and `expiresAt` by the app's clock. */
  record: AuthToken;
}

/**
 * Issues a real token for `user` (an entity of the app's user table, or its id) through the app's
 * own `TokenService`, without the login route: the token is stored, counted against the client's
 * limits and checked by the real guards, so a test sees exactly what a client holding it would.
 *
 * @example
 * const { authorization } = await issueTestToken(app, alice, { client: 'mobile', scopes: ['orders:read'] });
 * await request(app.getHttpServer()).get('/orders').set('Authorization', authorization).expect(200);
 */
export async function issueTestToken(
  app: Pick<INestApplicationContext, 'get'>,
  user: object | UserId,
  options: TestTokenOptions,
): Promise<TestToken> {
  const { token, record } = await app.get(TokenService, { strict: false }).issue(user, {
    client: options.client,
    ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
    name: options.name ?? null,
  });
  return { token, authorization: `Bearer ${token}`, record };
}
