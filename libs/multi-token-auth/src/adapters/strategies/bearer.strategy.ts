import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PassportStrategy } from '../../pure/peers/nest-passport.peer';
import { Strategy } from 'passport-http-bearer';
import { MalformedAuthRequestException } from '../../contracts/errors/auth.exceptions';
import type { AuthRequest } from '../../pure/http/auth-request';
import { withChallenge } from '../../pure/http/bearer-challenge';
import { parseBearer } from '../../pure/http/bearer-header.parser';
import { CookieTransport } from '../http/cookie-transport';
import { MULTI_TOKEN_BEARER } from '../../contracts/multi-token-auth.constants';
import { TokenVerifier } from '../../services/tokens/token.verifier';
import { linkFastifyReplies, responseOf } from './strategy-response';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

interface Attempt {
  success(user: object): void;
  error(error: unknown): void;
  fail(challenge: string, status: number): void;
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
 * The Passport strategy `'multi-token-bearer'` (passport-http-bearer), for `AuthGuard()` and for apps
 * that compose strategies, in either order: `AuthGuard(['multi-token-bearer', 'jwt'])`.
 * `validate()` only delegates to the verifier, the single place that decides whether a token is valid.
 *
 * What is not the library's is a Passport failure, so that the next strategy in a chain gets its
 * turn: no credentials at all, another scheme (`Basic …`), or a bearer value not of the library's
 * shape (neither its prefix nor the `legacyTokens` format; a JWT, say). What is the library's is
 * answered with the library's own error and its RFC 6750 challenge, which ends the chain: a
 * malformed header or an `access_token` parameter (400 `invalid_request`), a token of its shape that
 * is unknown, revoked or expired (401 `invalid_token`, `token_expired`…), a bad session cookie.
 * `@nestjs/passport`'s plain `AuthGuard` turns a failure of the whole chain into a bare 401;
 * `PassportBearerAuthGuard` answers it as `MultiTokenAuthGuard` does.
 */
@Injectable()
export class MultiTokenBearerStrategy extends BearerStrategy implements OnModuleInit {
  private readonly legacyScheme?: string;
  private readonly realm: string;

  constructor(
    private readonly verifier: TokenVerifier,
    @InjectMultiTokenAuthOptions() options: ResolvedOptions,
    private readonly cookies: CookieTransport,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    super({ realm: options.realm, passReqToCallback: true });
    this.legacyScheme = options.legacyTokens?.scheme?.toLowerCase();
    this.realm = options.realm;
  }

  onModuleInit(): void {
    linkFastifyReplies(this.adapterHost);
  }

  /**
   * Reads the header with the library's parser, the one the guards and sockets use (never
   * passport-http-bearer's), and refuses `access_token` in the query and body, which it would read.
   */
  override authenticate(req: AuthRequest): void {
    // Passport gives each attempt a copy of the strategy with fail(), success() and error() attached.
    const attempt = this as unknown as Attempt;
    const refuse = (error: unknown) => attempt.error(this.answer(req, error));
    // Not ours to answer: a failure, so a later strategy (jwt, anonymous, an API-key header) decides.
    const passOn = () => attempt.fail(`Bearer realm="${this.realm}"`, 401);
    const credentials = parseBearer(req, this.legacyScheme);
    if (credentials.kind === 'malformed') return refuse(new MalformedAuthRequestException());
    if (credentials.kind === 'token') {
      // Shape only (prefix or legacy format), no I/O: a JWT never reaches the store.
      if (!this.verifier.recognizes(credentials.token)) return passOn();
      // The library's parser read it, as the guards do: passport-http-bearer splits on exactly one
      // space (`Bearer  <token>` would be its 400) and knows only `Bearer`, not `legacyTokens.scheme`.
      // Through validate(), as passport-http-bearer would call it, so a subclass's override still applies.
      this.validate(req, credentials.token).then((user) => attempt.success(user), refuse);
      return;
    }
    const fromCookie = this.cookies.read(req);
    if (fromCookie === undefined) return passOn();
    this.cookies
      .verify(req, fromCookie)
      .then(({ user, token }) => {
        req.authToken = token;
        attempt.success(user);
      })
      .catch(refuse);
  }

  /** `error` with its `WWW-Authenticate` challenge set on the response, as the library's guards send it. */
  private answer(req: AuthRequest, error: unknown): unknown {
    const res = responseOf(req);
    return res ? withChallenge(error, res, this.realm) : error;
  }

  async validate(req: AuthRequest, token: string): Promise<object> {
    const verified = await this.verifier.verify(token);
    req.authToken = verified.token;
    return verified.user;
  }
}
