import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InactiveUserException, InvalidCredentialsException, WRONG_PASSWORD_MESSAGE } from '../errors/auth.exceptions';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { UserAccessor } from './user.accessor';

/**
 * Checks a username and password against the app's users, through the configured hasher. Exported
 * for custom login flows (a login that also checks a captcha or a second factor, say): call
 * `check()`, then issue a token with `TokenService.issue()`.
 *
 * @example
 * const user = await this.credentials.check<User>(body.username, body.password); // 401 when wrong
 * const { token } = await this.tokens.issue(user, { client: 'web' });
 */
@Injectable()
export class CredentialsVerifier {
  private decoyHash?: Promise<string>;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly users: UserAccessor,
  ) {}

  /**
   * The user, if the password is right and the user active. An unknown user is verified against a
   * decoy hash, so that it costs as much time as a wrong password and both answer the same 401:
   * neither the message nor the timing tells which usernames exist.
   */
  async check<U extends object = object>(username: string, password: string): Promise<U> {
    const user = await this.users.findByUsername(username);
    const stored = user ? this.users.passwordHashOf(user) : undefined;
    const matches = await this.options.passwordHasher.verify(stored ?? (await this.decoy()), password);
    if (!user || stored === undefined || !matches) throw new InvalidCredentialsException();
    // Only after the password proved right, so "inactive" reveals nothing to a guesser.
    if (!this.users.isActive(user))
      throw new InvalidCredentialsException(new InactiveUserException().message, 'user_inactive');
    return user as U;
  }

  /**
   * 401 `invalid_credentials` unless `password` is the password of `user` (already authenticated):
   * for actions that need the account holder, not just a session (creating an API key, say).
   */
  async confirm(user: object, password: string): Promise<void> {
    const stored = this.users.passwordHashOf(user);
    if (stored === undefined || !(await this.options.passwordHasher.verify(stored, password))) {
      throw new InvalidCredentialsException(WRONG_PASSWORD_MESSAGE);
    }
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

  private decoy(): Promise<string> {
    this.decoyHash ??= this.options.passwordHasher.hash(randomBytes(16).toString('hex'));
    return this.decoyHash;
  }
}
