import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsWhere, type Repository } from 'typeorm';
import { withDeadline } from '../storage/store.deadline';
import { checkUserFields } from '../../pure/options/user-fields.check';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { UserId } from '../../contracts/user-id';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** Reads the app's user entity through the field names given in the options. Never writes it. */
@Injectable()
export class UserAccessor {
  private readonly repository: Repository<object>;

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    dataSource: DataSource,
  ) {
    checkUserFields(dataSource, options.user);
    this.repository = dataSource.getRepository(options.user.entity);
  }

  /**
   * The user whose stored username is `username` after `normalizeUsername`. Within `databaseTimeout`
   * (a login against a hung database answers 503 rather than waiting on it).
   */
  findByUsername(username: string): Promise<object | null> {
    const stored = this.options.user.normalizeUsername(username);
    return withDeadline(this.options.databaseTimeout * 1000, 'user lookup', () =>
      this.repository.findOne({ where: this.where(this.options.user.usernameField, stored) }),
    );
  }

  idOf(user: object): UserId {
    return this.read(user, this.options.user.idField) as UserId;
  }

  usernameOf(user: object): string {
    return String(this.read(user, this.options.user.usernameField));
  }

  passwordHashOf(user: object): string | undefined {
    const hash = this.read(user, this.options.user.passwordHashField);
    return typeof hash === 'string' ? hash : undefined;
  }

  isActive(user: object): boolean {
    return this.options.user.isActive(user);
  }

  private read(user: object, field: string): unknown {
    return (user as Record<string, unknown>)[field];
  }

  private where(field: string, value: unknown): FindOptionsWhere<object> {
    return { [field]: value };
  }
}
