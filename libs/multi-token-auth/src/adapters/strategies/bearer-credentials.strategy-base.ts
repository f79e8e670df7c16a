import { Strategy as HttpBearerStrategy, type VerifyFunctionWithRequest } from 'passport-http-bearer';
import { MalformedAuthRequestException } from '../../contracts/errors/auth.exceptions';
import type { AuthRequest } from '../../pure/http/auth-request';
import { withChallenge } from '../../pure/http/bearer-challenge';
import type { CredentialsReader, CredentialsSource } from './bearer-credentials.reader';
import { responseOf } from './strategy-response';

/** Passport's verify callback as `@nestjs/passport` builds it: it calls the strategy's `validate()`. */
type Verify = (req: AuthRequest, token: string, source: CredentialsSource, done: Done) => void;
type Done = (error: unknown, user?: object | false) => void;

/** What Passport attaches to each attempt's copy of the strategy. */
interface Attempt {
  success(user: object): void;
  error(error: unknown): void;
  fail(challenge: string, status: number): void;
}

/**
 * passport-http-bearer's strategy, reading the request with the library's parser, the one the
 * guards and sockets use (never passport-http-bearer's, which splits on exactly one space, knows
 * only `Bearer`, and reads `access_token` from the query and body, which the library refuses), and
 * handing what it found to `validate(req, token, source)`.
 *
 * What is not the library's is a Passport failure, so that the next strategy in a chain gets its
 * turn: no credentials at all, another scheme (`Basic …`), or a bearer value not of the library's
 * shape (a JWT, say). What is the library's is answered with the library's own error and its
 * RFC 6750 challenge, which ends the chain.
 */
export class BearerCredentialsStrategy extends HttpBearerStrategy<VerifyFunctionWithRequest> {
  private readonly verifyPresented: Verify;

  constructor(
    private readonly reader: CredentialsReader,
    verify: Verify,
  ) {
    super({ realm: reader.realm, passReqToCallback: true }, () => undefined);
    this.verifyPresented = verify;
  }

  override authenticate(req: AuthRequest): void {
    // Passport gives each attempt a copy of the strategy with fail(), success() and error() attached.
    const attempt = this as unknown as Attempt;
    const done: Done = (error, user) => {
      if (error) attempt.error(this.answer(req, error));
      else if (user) attempt.success(user);
      else attempt.fail(this.challenge(), 401);
    };
    // Not ours to answer: a failure, so a later strategy (jwt, anonymous, an API-key header) decides.
    const passOn = () => attempt.fail(this.challenge(), 401);
    const credentials = this.reader.credentials(req);
    if (credentials.kind === 'malformed') return attempt.error(this.answer(req, new MalformedAuthRequestException()));
    if (credentials.kind === 'token') {
      // Shape only (prefix or legacy format), no I/O: a JWT never reaches the store.
      if (!this.reader.recognizes(credentials.token)) return passOn();
      return this.verifyPresented(req, credentials.token, 'header', done);
    }
    const fromCookie = this.reader.readCookie(req);
    if (fromCookie === undefined) return passOn();
    this.verifyPresented(req, fromCookie, 'cookie', done);
  }

  private challenge(): string {
    return `Bearer realm="${this.reader.realm}"`;
  }

  /** `error` with its `WWW-Authenticate` challenge set on the response, as the library's guards send it. */
  private answer(req: AuthRequest, error: unknown): unknown {
    const res = responseOf(req);
    return res ? withChallenge(error, res, this.reader.realm) : error;
  }
}
