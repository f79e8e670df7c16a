import { pbkdf2, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from './password-hasher.interface';
import { ScryptPasswordHasher } from './scrypt-password.hasher';

/** Django's pbkdf2_sha256 derives 32 bytes (SHA-256's size) and stores them in base64. */
const KEY_LENGTH = 32;
const PREFIX = 'pbkdf2_sha256$';

export interface DjangoPbkdf2Options {
  /** Hashes new passwords and verifies every other hash. Default: `new ScryptPasswordHasher()`. */
  fallback?: PasswordHasher;
  /**
   * The most PBKDF2 iterations a stored hash may ask for; a hash asking more is refused without
   * being computed. Default 2 000 000 (Django 4.2 uses 600 000, 5.2 1 000 000, 6.0 1 200 000):
   * one check costs about 0.6 s of a core per million iterations (measured on our CI machine).
   */
  maxIterations?: number;
}

/**
 * Verifies the passwords of users moved from Django (and Django REST framework) as they are, so
 * they sign in with their old password: Django's default `pbkdf2_sha256$<iterations>$<salt>$<hash>`
 * is checked with PBKDF2-HMAC-SHA256 from `node:crypto` (on libuv's thread pool, off the event
 * loop); every other hash, and every new one, goes to `fallback` (scrypt by default). Other Django
 * hashers (argon2, bcrypt_sha256, pbkdf2_sha1…) are not read: those users set a new password.
 *
 * @example
 * MultiTokenAuthModule.forRoot({ user: { entity: User }, passwordHasher: new DjangoPbkdf2PasswordHasher() });
 */
export class DjangoPbkdf2PasswordHasher implements PasswordHasher {
  private readonly fallback: PasswordHasher;
  private readonly maxIterations: number;

  constructor({ fallback = new ScryptPasswordHasher(), maxIterations = 2_000_000 }: DjangoPbkdf2Options = {}) {
    if (!Number.isSafeInteger(maxIterations) || maxIterations < 1 || maxIterations > 10_000_000) {
      throw new Error(
        `DjangoPbkdf2PasswordHasher: maxIterations must be a whole number from 1 to 10000000 (got ${String(maxIterations)}); leave it out for 2000000.`,
      );
    }
    this.fallback = fallback;
    this.maxIterations = maxIterations;
  }

  hash(password: string): Promise<string> {
    return this.fallback.hash(password);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    if (typeof hash !== 'string' || !hash.startsWith(PREFIX)) return this.fallback.verify(hash, password);
    const [, iterationsText = '', salt = '', keyText = '', ...rest] = hash.split('$');
    // Read from the database, but capped all the same: a hash asking for a billion iterations
    // (a bad migration, a tampered row) must not hold a thread-pool thread for minutes per login.
    const iterations = /^[1-9]\d{0,9}$/.test(iterationsText) ? Number(iterationsText) : NaN;
    const expected = Buffer.from(keyText, 'base64');
    if (!(iterations <= this.maxIterations) || salt === '' || rest.length > 0 || expected.length !== KEY_LENGTH) {
      return false;
    }
    if (typeof password !== 'string') return false;
    // Django hashes the UTF-8 bytes of the password and of the salt, as Node does with strings.
    const actual = await new Promise<Buffer>((resolve, reject) =>
      pbkdf2(password, salt, iterations, KEY_LENGTH, 'sha256', (error, key) => (error ? reject(error) : resolve(key))),
    );
    // Constant time, so that the time taken says nothing about how much of the key matched.
    return timingSafeEqual(expected, actual);
  }

  /**
   * Whether `hash` is one of Django's, to be replaced by `hash(password)` once the password is
   * known (after a login or password check the app runs itself): the library's login never writes
   * the app's users table.
   */
  needsRehash(hash: string): boolean {
    return typeof hash === 'string' && hash.startsWith(PREFIX);
  }
}
