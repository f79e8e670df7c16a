import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvalidCredentialsException } from '../../contracts/errors/auth.exceptions';
import { LoginAttemptLimiter } from '../attempts/login-attempt.limiter';
import { PasswordCheckQueue } from '../../pure/passwords/password-check.queue';
import { clientAddress } from '../../pure/http/client-address';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/**
 * Checks a username and password against the app's users, through the configured hasher. Exported
 * for custom login flows (a login that also checks a captcha or a second factor, say): call
 * `check()`, then issue a token with `TokenService.issue()`. Pass the request's IP: attempts are
 * limited per username+IP and per IP, and without it every caller shares one bucket, where anyone
 * can use up a username's attempts for everybody (the library warns once when it is missing).
 *
 * @example
 * // 401 when wrong, 429 past the attempt limits
 * const user = await this.credentials.check<User>(body.username, body.password, req.ip ?? null);
 * const { token } = await this.tokens.issue(user, { client: 'web', ip: req.ip });
 */
@Injectable()
export class CredentialsVerifier {
  private decoyHash?: Promise<string>;
  private readonly logger = new Logger('MultiTokenAuth');
  private warnedNoIp = false;

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    private readonly users: UserAccessor,
    private readonly attempts: LoginAttemptLimiter,
    @Inject(PasswordCheckQueue) private readonly queue: PasswordCheckQueue | null,
  ) {}

  /**
   * The user, if the password is right and the user active. An unknown user is verified against a
   * decoy hash, so that it costs as much time as a wrong password and both answer the same 401:
   * neither the message nor the timing tells which usernames exist. Attempts are limited per
   * username+IP and per IP (`loginAttempts`; 429 past them) and queued fairly (`passwordChecks`).
   *
   * @param ip the client's address (`req.ip`), or `null` when the request has none
   */
  async check<U extends object = object>(username: string, password: string, ip?: string | null): Promise<U> {
    if (ip === undefined) this.warnNoIp('check');
    return this.attempts.protect(username, ip, async () => {
      const user = await this.users.findByUsername(username);
      const stored = user ? this.users.passwordHashOf(user) : undefined;
      const matches = await this.verify(stored ?? (await this.decoy()), password, ip);
      if (!user || stored === undefined || !matches) throw new InvalidCredentialsException();
      // Only after the password proved right, so "inactive" reveals nothing to a guesser.
      if (!this.users.isActive(user)) throw new InvalidCredentialsException('inactive');
      return user as U;
    });
  }

  /**
   * 401 `invalid_credentials` unless `password` is the password of `user` (already authenticated):
   * for actions that need the account holder, not just a session (creating an API key, changing
   * the password). Limited and queued like `check()`; pass the request's IP.
   *
   * @param ip the client's address (`req.ip`), or `null` when the request has none
   */
  async confirm(user: object, password: string, ip?: string | null): Promise<void> {
    if (ip === undefined) this.warnNoIp('confirm');
    await this.attempts.protect(this.users.usernameOf(user), ip, async () => {
      const stored = this.users.passwordHashOf(user);
      // A direct caller may pass anything; only a string can be the password.
      if (stored === undefined || typeof password !== 'string' || !(await this.verify(stored, password, ip))) {
        throw new InvalidCredentialsException('wrong_password');
      }
    });
  }

  /**
   * Whether `current` (the user as the store holds it now) still has the password hash `verified`
   * was checked against, and is still active. The login route passes it to `TokenService.issue()`
   * as `stillValid`, so a login that verified the old password during a password change issues nothing.
   */
  unchanged(verified: object, current: object | null): boolean {
    return (
      current !== null &&
      this.users.isActive(current) &&
      this.users.passwordHashOf(current) === this.users.passwordHashOf(verified)
    );
  }

  /** Once per process: a caller that leaves `ip` out puts every request in one bucket of attempts. */
  private warnNoIp(method: 'check' | 'confirm'): void {
    if (this.warnedNoIp) return;
    this.warnedNoIp = true;
    this.logger.warn(
      `CredentialsVerifier.${method}() was called without the client's IP, so every such call shares one ` +
        "bucket of login attempts and anyone can use up a username's attempts for everybody. Pass the " +
        "request's address as the third argument (req.ip, or null when the request has none).",
    );
  }

  /** The hash check, through the bounded queue (one turn per client, by IP). */
  private verify(hash: string, password: string, ip: string | null | undefined): Promise<boolean> {
    const check = () => this.options.passwordHasher.verify(hash, password);
    return this.queue ? this.queue.run(clientAddress(ip), check) : check();
  }

  /**
   * The hasher's own decoy when it has one: `hash()` makes a hash at the cost of new passwords,
   * which for hashes moved from elsewhere (Django's PBKDF2) is not what a real user's check costs.
   */
  private decoy(): Promise<string> {
    const hasher = this.options.passwordHasher;
    this.decoyHash ??=
      typeof hasher.decoyHash === 'function' ? hasher.decoyHash() : hasher.hash(randomBytes(16).toString('hex'));
    return this.decoyHash;
  }
}
