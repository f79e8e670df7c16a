import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InactiveUserException, InvalidCredentialsException } from '../errors/auth.exceptions';
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

  private decoy(): Promise<string> {
    this.decoyHash ??= this.options.passwordHasher.hash(randomBytes(16).toString('hex'));
    return this.decoyHash;
  }
}
