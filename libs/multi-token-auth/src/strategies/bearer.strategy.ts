import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { AuthRequest } from '../http/auth-request';
import { parseBearer } from '../http/bearer-header.parser';
import { CookieTransport } from '../http/cookie-transport';
import { MULTI_TOKEN_BEARER, RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { TokenVerifier } from '../tokens/token.verifier';

interface Attempt {
  fail(status: number): void;
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

  /** passport-http-bearer also reads `access_token` from the query and body; we refuse those. */
  override authenticate(req: AuthRequest, options?: object): void {
    // Passport gives each attempt a copy of the strategy with fail(), success() and error() attached.
    const attempt = this as unknown as Attempt;
    const credentials = parseBearer(req, this.legacyScheme);
    if (credentials.kind === 'malformed') return attempt.fail(400);
    // `Token <key>` (legacyTokens.scheme): passport-http-bearer reads only `Bearer`, so it is verified here.
    const legacy =
      this.legacyScheme !== undefined && credentials.kind === 'token' && parseBearer(req).kind !== 'token'
        ? credentials.token
        : undefined;
    const fromCookie = credentials.kind === 'none' ? this.cookies.read(req) : undefined;
    if (fromCookie === undefined && legacy === undefined) return super.authenticate(req, options);
    const verified =
      legacy === undefined ? this.cookies.verify(req, fromCookie as string) : this.verifier.verify(legacy);
    verified
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
