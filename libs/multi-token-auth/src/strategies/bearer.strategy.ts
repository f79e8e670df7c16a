import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PassportStrategy } from '../peers/nest-passport.peer';
import { Strategy } from 'passport-http-bearer';
import { MalformedAuthRequestException, MissingTokenException } from '../errors/auth.exceptions';
import type { AuthRequest } from '../http/auth-request';
import { withChallenge } from '../http/bearer-challenge';
import { parseBearer } from '../http/bearer-header.parser';
import { CookieTransport } from '../http/cookie-transport';
import { MULTI_TOKEN_BEARER, RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { TokenVerifier } from '../tokens/token.verifier';
import { linkFastifyReplies, responseOf } from './strategy-response';

interface Attempt {
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
 * strategies: `AuthGuard(['jwt', 'multi-token-bearer'])`. `validate()` only delegates to the
 * verifier, the single place that decides whether a token is valid.
 *
 * It refuses with the library's own answers (`missing_token`, `invalid_request`, `invalid_token`…,
 * with their RFC 6750 challenge), as errors rather than Passport failures: `@nestjs/passport`'s
 * plain `AuthGuard` turns a failure into a bare 401 and drops the challenge. An error also ends a
 * Passport chain, so list this strategy last when composing.
 */
@Injectable()
export class MultiTokenBearerStrategy extends BearerStrategy implements OnModuleInit {
  private readonly legacyScheme?: string;
  private readonly realm: string;

  constructor(
    private readonly verifier: TokenVerifier,
    @Inject(RESOLVED_OPTIONS) options: ResolvedOptions,
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
    const credentials = parseBearer(req, this.legacyScheme);
    if (credentials.kind === 'malformed') return refuse(new MalformedAuthRequestException());
    if (credentials.kind === 'token') {
      // The library's parser read it, as the guards do: passport-http-bearer splits on exactly one
      // space (`Bearer  <token>` would be its 400) and knows only `Bearer`, not `legacyTokens.scheme`.
      // Through validate(), as passport-http-bearer would call it, so a subclass's override still applies.
      this.validate(req, credentials.token).then((user) => attempt.success(user), refuse);
      return;
    }
    const fromCookie = this.cookies.read(req);
    // No credentials (or another scheme, as the guards see it): the guards' 401 missing_token.
    if (fromCookie === undefined) return refuse(new MissingTokenException());
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
