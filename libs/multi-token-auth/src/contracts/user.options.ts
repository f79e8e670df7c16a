import type { Type } from '@nestjs/common';
import type { Callback } from './settable';

/** How the library reads the app's users. The app owns the users table; the library never writes it. */
export interface UserOptions<U extends object = object> {
  /** The app's TypeORM user entity. Tokens get a foreign key (`ON DELETE CASCADE`) to its table. */
  entity: Type<U>;
  /** Property holding the primary key. Default `'id'`. */
  idField?: string | undefined;
  /** Property holding the login name, looked up by equality. Default `'username'`. */
  usernameField?: string | undefined;
  /** Property holding the password hash written by `passwordHasher`. Default `'passwordHash'`. */
  passwordHashField?: string | undefined;
  /**
   * Turns a username as typed into the form stored in `usernameField`, before login looks it up,
   * e.g. `(name) => name.normalize('NFKC').toLowerCase()` for case-insensitive usernames (store them
   * the same way at registration). Default: unchanged.
   */
  normalizeUsername?: Callback<(username: string) => string> | undefined;
  /**
   * Whether the user may authenticate, e.g. `isActive: (user: User) => user.status === 'active'`.
   * Default: `user.isActive !== false`. (A method, so a callback typed with your entity fits.)
   */
  isActive?: Callback<(user: U) => boolean> | undefined;
}
