import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MalformedAuthRequestException, MissingTokenException } from '../errors/auth.exceptions';
import type { AuthRequest, AuthResponse } from '../http/auth-request';
import { withChallenge } from '../http/bearer-challenge';
import { parseBearer } from '../http/bearer-header.parser';
import { CookieTransport } from '../http/cookie-transport';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { ClientThrottlerGuard } from '../throttling/client-throttler.guard';
import { TokenVerifier } from '../tokens/token.verifier';
import { ClientAccessGuard } from './client-access.guard';
import { authorizeAuthenticated, needsNoAuthentication } from './guard-steps';

/**
 * Bearer authentication (or the session cookie of a browser client, with its CSRF check) without
 * the Passport wrapper (the same verifier, a shorter path), then
 * the client check, then the rate limit: 401 → 403 → 429, in that order by construction.
 * `@Public()` routes pass untouched.
 */
@Injectable()
export class MultiTokenAuthGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly verifier: TokenVerifier,
    protected readonly clientAccess: ClientAccessGuard,
    protected readonly throttler: ClientThrottlerGuard,
    @Inject(RESOLVED_OPTIONS) protected readonly options: ResolvedOptions,
    protected readonly cookies: CookieTransport,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (needsNoAuthentication(this.reflector, context)) return true;
    await this.authenticate(context);
    return authorizeAuthenticated(context, this.clientAccess, this.throttler);
  }

  /** Verifies the bearer token and puts the user and the token record on the request. */
  protected async authenticate(context: ExecutionContext): Promise<void> {
    const http = context.switchToHttp();
    const req = http.getRequest<AuthRequest>();
    try {
      const credentials = parseBearer(req);
      if (credentials.kind === 'malformed') throw new MalformedAuthRequestException();
      // No Authorization header: the session cookie of a browser client, if there is one.
      const fromCookie = credentials.kind === 'none' ? this.cookies.read(req) : undefined;
      if (credentials.kind === 'none' && fromCookie === undefined) throw new MissingTokenException();
      const { user, token } =
        credentials.kind === 'token'
          ? await this.verifier.verify(credentials.token)
          : await this.cookies.verify(req, fromCookie as string);
      req.user = user;
      req.authToken = token;
    } catch (error) {
      throw withChallenge(error, http.getResponse<AuthResponse>(), this.options.realm);
    }
  }
}
