import { hash, timingSafeEqual } from 'node:crypto';
import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { authErrorBody } from '../../contracts/errors/auth-error.table';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { InvalidTokenException } from '../../contracts/errors/auth.exceptions';
import { TokenVerifier, type VerifiedToken } from '../../services/tokens/token.verifier';
import { Clock } from '../../contracts/clock/clock.interface';
import {
  AUTHENTICATED_BY_COOKIE,
  type AuthRequest,
  type AuthResponse,
  appendResponseHeader,
} from '../../pure/http/auth-request';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** Methods that change nothing: no CSRF token needed (RFC 9110's safe methods). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 403 `csrf_failed`: an unsafe request authenticated by the cookie without the right `X-CSRF-Token`. */
export class CsrfFailedException extends ForbiddenException {
  constructor() {
    super(authErrorBody('csrf_failed'));
  }
}

/**
 * The cookie transport for browser clients (`cookie: true`): login sets the token as an `HttpOnly`
 * cookie instead of returning it, the guards accept it when no `Authorization` header is sent, and
 * logout clears it.
 *
 * CSRF defence: a token derived from the session, `base64url(sha256("csrf:" + token))`, returned by
 * login (`csrfToken`) and also set as a readable cookie; every unsafe request authenticated by the
 * cookie must echo it in `X-CSRF-Token`. Another site can make the browser send the cookie but can
 * neither read the CSRF cookie nor compute the value (it does not have the token), and nothing is
 * stored: the value is recomputed from the presented token (OWASP's "signed double-submit" idea,
 * keyed by the session itself). Bearer requests need none: a browser never adds a header by itself.
 */
@Injectable()
export class CookieTransport {
  readonly sessionCookie: string;
  readonly csrfCookie: string;
  private readonly clients: Set<string>;

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    private readonly verifier: TokenVerifier,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    const base = options.cookies.secure ? `__Host-${options.cookies.name}` : options.cookies.name;
    this.sessionCookie = base;
    this.csrfCookie = `${base}_csrf`;
    this.clients = new Set(options.clients.filter((client) => client.cookie).map((client) => client.name));
  }

  /** Whether any client uses the cookie. */
  get enabled(): boolean {
    return this.clients.size > 0;
  }

  /** Whether tokens of this client travel in the cookie. */
  enabledFor(client: string): boolean {
    return this.clients.has(client);
  }

  /** The session cookie's value, when the request carries one and some client uses cookies. */
  read(req: AuthRequest): string | undefined {
    const header = req.headers.cookie;
    if (this.clients.size === 0 || typeof header !== 'string') return undefined;
    for (const part of header.split(';')) {
      const at = part.indexOf('=');
      if (at > 0 && part.slice(0, at).trim() === this.sessionCookie) return part.slice(at + 1).trim();
    }
    return undefined;
  }

  csrfOf(token: string): string {
    return hash('sha256', `csrf:${token}`, 'base64url');
  }

  /**
   * Verifies the token `presented` in the cookie, as both guards and the Passport strategy do: a
   * valid token whose client uses cookies (a bearer token planted in the cookie is refused), and on
   * an unsafe method the CSRF token.
   */
  async verify(req: AuthRequest, presented: string): Promise<VerifiedToken> {
    const verified = await this.verifier.verify(presented, { ip: req.ip });
    this.check(req, presented, verified.token);
    return verified;
  }

  private check(req: AuthRequest, presented: string, token: AuthToken): void {
    if (!this.enabledFor(token.client.name)) throw new InvalidTokenException();
    req[AUTHENTICATED_BY_COOKIE] = true;
    if (SAFE_METHODS.has((req.method ?? 'GET').toUpperCase())) return;
    const sent = req.headers['x-csrf-token'];
    const expected = Buffer.from(this.csrfOf(presented));
    const given = Buffer.from(typeof sent === 'string' ? sent : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CsrfFailedException();
  }

  /**
   * Sets both cookies for `record`. `Max-Age` is the token's remaining life; for a sliding
   * (`idleTimeout`) client, the time left to its absolute cap, or none (a browser-session cookie),
   * since each use moves the expiry on the server and the cookie must not end before it.
   */
  set(res: AuthResponse, token: string, record: AuthToken): void {
    const { client } = record;
    const expiresAt =
      client.idleTimeout === null
        ? record.expiresAt
        : client.absoluteLifetime === null
          ? null
          : new Date(record.createdAt.getTime() + client.absoluteLifetime * 1000);
    const maxAge =
      expiresAt === null
        ? ''
        : `; Max-Age=${Math.max(0, Math.floor((expiresAt.getTime() - this.clock.now().getTime()) / 1000))}`;
    appendResponseHeader(res, 'Set-Cookie', [
      `${this.sessionCookie}=${token}${this.attributes()}; HttpOnly${maxAge}`,
      `${this.csrfCookie}=${this.csrfOf(token)}${this.attributes()}${maxAge}`,
    ]);
  }

  /** Expires both cookies (logout). */
  clear(res: AuthResponse): void {
    appendResponseHeader(res, 'Set-Cookie', [
      `${this.sessionCookie}=${this.attributes()}; HttpOnly; Max-Age=0`,
      `${this.csrfCookie}=${this.attributes()}; Max-Age=0`,
    ]);
  }

  private attributes(): string {
    const sameSite = this.options.cookies.sameSite === 'strict' ? 'Strict' : 'Lax';
    return `; Path=/; SameSite=${sameSite}${this.options.cookies.secure ? '; Secure' : ''}`;
  }
}
