import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { MalformedAuthRequestException, MissingTokenException } from '../../contracts/errors/auth.exceptions';
import { CookieTransport } from '../http/cookie-transport';
import { TokenVerifier } from '../../services/tokens/token.verifier';
import type { TransportCall } from '../../pure/transports/transport-call';
import { GuardSteps } from './guard-steps';

/**
 * Bearer authentication (or the session cookie of a browser client, with its CSRF check) without
 * the Passport wrapper (the same verifier, a shorter path), then the client check, the scopes and
 * the rate limit: 401 → 403 → 429, in that order by construction. `@Public()` routes pass
 * untouched; `@OptionalAuth()` routes let a request without credentials through anonymously.
 *
 * The same guard works on HTTP routes, GraphQL resolvers (over HTTP and graphql-ws) and
 * WebSocket gateway handlers; see `SocketAuthenticator` for authenticating the connections.
 */
@Injectable()
export class MultiTokenAuthGuard implements CanActivate {
  constructor(
    protected readonly steps: GuardSteps,
    protected readonly verifier: TokenVerifier,
    protected readonly cookies: CookieTransport,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return this.steps.run(context, this.authenticateCall);
  }

  /** `authenticate`, bound once (a subclass's override included) rather than a closure per request. */
  private readonly authenticateCall = (call: TransportCall): Promise<void> => this.authenticate(call);

  /** Verifies the bearer token (or session cookie) and puts the user and the token record on the request. */
  protected async authenticate({ req }: TransportCall): Promise<void> {
    const credentials = this.steps.credentials(req);
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
  }
}
