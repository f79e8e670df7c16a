import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '../peers/nest-passport.peer';
import { Strategy } from 'passport-http-bearer';
import type { AuthRequest } from '../http/auth-request';
import { parseBearer } from '../http/bearer-header.parser';
import { CookieTransport } from '../http/cookie-transport';
import { MULTI_TOKEN_BEARER, RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { TokenVerifier } from '../tokens/token.verifier';

interface Attempt {
  fail(challengeOrStatus: string | number): void;
  /** passport-http-bearer's `WWW-Authenticate` value for a request without credentials. */
  _challenge(): string;
  success(user: object): void;
  error(error: unknown): void;
}

/**
 * The part of passport-http-bearer's strategy this class builds on, in the library's own types, so
 * that the published declarations do not need `@types/passport-http-bearer` in the app.
 */
interface BearerStrategyBase {
  authenticate(req: AuthRequest, options?: object): void;
}
const BearerStrategy: new (options: { realm: string; passReqToCallback: true }) => BearerStrategyBase =
  PassportStrategy(Strategy, MULTI_TOKEN_BEARER);

/**
 * The Passport strategy `'multi-token-bearer'` (passport-http-bearer), for apps that compose
 * strategies: `AuthGuard(['multi-token-bearer', 'jwt'])`. `validate()` only delegates to the
 * verifier, the single place that decides whether a token is valid.
 */
@Injectable()
export class MultiTokenBearerStrategy extends BearerStrategy {
  private readonly legacyScheme?: string;

  constructor(
    private readonly verifier: TokenVerifier,
    @Inject(RESOLVED_OPTIONS) options: ResolvedOptions,
    private readonly cookies: CookieTransport,
  ) {
    super({ realm: options.realm, passReqToCallback: true });
    this.legacyScheme = options.legacyTokens?.scheme?.toLowerCase();
  }

  /**
   * Reads the header with the library's parser, the one the guards and sockets use (never
   * passport-http-bearer's), and refuses `access_token` in the query and body, which it would read.
   */
  override authenticate(req: AuthRequest): void {
    // Passport gives each attempt a copy of the strategy with fail(), success() and error() attached.
    const attempt = this as unknown as Attempt;
    const credentials = parseBearer(req, this.legacyScheme);
    if (credentials.kind === 'malformed') return attempt.fail(400);
    if (credentials.kind === 'token') {
      // The library's parser read it, as the guards do: passport-http-bearer splits on exactly one
      // space (`Bearer  <token>` would be its 400) and knows only `Bearer`, not `legacyTokens.scheme`.
      // Through validate(), as passport-http-bearer would call it, so a subclass's override still applies.
      this.validate(req, credentials.token).then(
        (user) => attempt.success(user),
        (error: unknown) => attempt.error(error),
      );
      return;
    }
    const fromCookie = this.cookies.read(req);
    // No credentials: passport-http-bearer's own answer, without letting it read the header a second
    // way (it calls `Basic a  b` a 400, where the guards see another scheme: no bearer credentials).
    if (fromCookie === undefined) return attempt.fail(attempt._challenge());
    this.cookies
      .verify(req, fromCookie)
      .then(({ user, token }) => {
        req.authToken = token;
        attempt.success(user);
      })
      .catch((error: unknown) => attempt.error(error));
  }

  async validate(req: AuthRequest, token: string): Promise<object> {
    const verified = await this.verifier.verify(token);
    req.authToken = verified.token;
    return verified.user;
  }
}
