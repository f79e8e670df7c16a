import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CredentialsVerifier, ScryptPasswordHasher, TokenService } from 'nestjs-multi-token-auth';
import { isUniqueViolation } from './unique-violation';
import type { Repository } from 'typeorm';
import { User } from './user.entity';
import { UsernameTakenException } from './username-taken.exception';

/** Registration and account changes; every change that should end sessions goes through TokenService. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: ScryptPasswordHasher,
    private readonly tokens: TokenService,
    private readonly credentials: CredentialsVerifier,
  ) {}

  async register(username: string, password: string): Promise<User> {
    if (await this.users.existsBy({ username })) throw new UsernameTakenException();
    const user = this.users.create({ username, passwordHash: await this.hasher.hash(password), isActive: true });
    try {
      return await this.users.save(user);
    } catch (error) {
      // Two registrations of one name at once: the unique index decides, and the loser gets 409.
      if (isUniqueViolation(error)) throw new UsernameTakenException();
      throw error;
    }
  }

  /**
   * Changes the password and ends every other session of the user. The order matters: the new hash
   * is saved first, so a login racing this either finished before `revokeAll` (its token is revoked)
   * or re-checks the hash under the issue lock and is refused.
   */
  async changePassword(user: User, currentTokenId: string, current: string, next: string, ip?: string): Promise<void> {
    // 401 when wrong, 429 past the attempt limits: the same guard against guessing as login.
    await this.credentials.confirm(user, current, ip ?? null);
    await this.users.update({ id: user.id }, { passwordHash: await this.hasher.hash(next) });
    await this.tokens.revokeAll(user.id, { exceptTokenId: currentTokenId, reason: 'password-change' });
  }

  /** Deactivates the user (the password proves it is the holder) and ends every session, API keys included. */
  async deactivate(user: User, password: string, ip?: string): Promise<void> {
    await this.credentials.confirm(user, password, ip ?? null);
    await this.users.update({ id: user.id }, { isActive: false });
    await this.tokens.revokeAll(user.id, { reason: 'deactivation' });
  }
}
