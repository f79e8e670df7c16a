import type { AuthRequest } from '../../pure/http/auth-request';
import type { BearerCredentials } from '../../pure/http/bearer-header.parser';

/** Where a token came from: the `Authorization` header, or a browser client's session cookie. */
export type CredentialsSource = 'header' | 'cookie';

/** How the strategy reads a request, with the library's own parser and checks. */
export interface CredentialsReader {
  realm: string;
  /** The `Authorization` credentials (`Bearer`, or the `legacyTokens.scheme` word as well). */
  credentials(req: AuthRequest): BearerCredentials;
  /** Whether a bearer value has the library's shape (prefix or legacy format): no I/O. */
  recognizes(token: string): boolean;
  /** The session cookie's value, or `undefined`. */
  readCookie(req: AuthRequest): string | undefined;
}
