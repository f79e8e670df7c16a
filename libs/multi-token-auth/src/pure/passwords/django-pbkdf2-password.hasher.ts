import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../../contracts/password-hasher.interface';
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
  /**
   * PBKDF2 iterations of the decoy hash a login for an unknown username is checked against, so
   * that it takes as long as a wrong password for a user moved from Django: set it to the
   * iterations most of your users' hashes have (the second field of Django's `password` column).
   * At most `maxIterations`. Default 1 000 000 (Django 5.2 LTS), or `maxIterations` if lower.
   * `null`: the fallback's decoy, once most users have a hash of the fallback's (after
   * `needsRehash()` replaced theirs).
   */
  decoyIterations?: number | null;
}

/** Django 5.2's count (the current LTS): what most apps moving across last ran. */
const DEFAULT_DECOY_ITERATIONS = 1_000_000;

/**
 * Verifies the passwords of users moved from Django (and Django REST framework) as they are, so
 * they sign in with their old password: Django's default `pbkdf2_sha256$<iterations>$<salt>$<hash>`
 * is checked with PBKDF2-HMAC-SHA256 from `node:crypto` (on libuv's thread pool, off the event
 * loop); every other hash, and every new one, goes to `fallback` (scrypt by default). Other Django
 * hashers (argon2, bcrypt_sha256, pbkdf2_sha1…) are not read: those users set a new password.
 * Unknown usernames are checked against a Django decoy (`decoyIterations`), so that timing does not
 * tell them from moved users.
 *
 * @example
 * MultiTokenAuthModule.forRoot({ user: { entity: User }, passwordHasher: new DjangoPbkdf2PasswordHasher() });
 */
export class DjangoPbkdf2PasswordHasher implements PasswordHasher {
  private readonly fallback: PasswordHasher;
  private readonly maxIterations: number;
  private readonly decoyIterations: number | null;

  constructor({
    fallback = new ScryptPasswordHasher(),
    maxIterations = 2_000_000,
    decoyIterations = Math.min(DEFAULT_DECOY_ITERATIONS, maxIterations),
  }: DjangoPbkdf2Options = {}) {
    if (!Number.isSafeInteger(maxIterations) || maxIterations < 1 || maxIterations > 10_000_000) {
      throw new Error(
        `DjangoPbkdf2PasswordHasher: maxIterations must be a whole number from 1 to 10000000 (got ${String(maxIterations)}); leave it out for 2000000.`,
      );
    }
    // Over the cap, verify() would refuse the decoy without computing it: unknown usernames would
    // answer at once, the very signal the decoy is there to remove.
    if (
      decoyIterations !== null &&
      !(Number.isSafeInteger(decoyIterations) && decoyIterations >= 1 && decoyIterations <= maxIterations)
    ) {
      throw new Error(
        `DjangoPbkdf2PasswordHasher: decoyIterations must be a whole number from 1 to maxIterations (${maxIterations}) or null (got ${String(decoyIterations)}); set it to the iterations of your users' Django hashes, or leave it out for ${Math.min(DEFAULT_DECOY_ITERATIONS, maxIterations)}.`,
      );
    }
    this.fallback = fallback;
    this.maxIterations = maxIterations;
    this.decoyIterations = decoyIterations;
  }

  hash(password: string): Promise<string> {
    return this.fallback.hash(password);
  }

  /**
   * A Django hash at `decoyIterations` that no password matches (its key is 32 random bytes, not
   * derived from anything), so verifying it costs what a moved user's wrong password costs; with
   * `decoyIterations: null`, the fallback's decoy.
   */
  decoyHash(): Promise<string> {
    if (this.decoyIterations === null) {
      return this.fallback.decoyHash?.() ?? this.fallback.hash(randomBytes(16).toString('hex'));
    }
    // 22 characters, as Django's own salts; only the iterations decide the cost.
    const salt = randomBytes(11).toString('hex');
    return Promise.resolve(`${PREFIX}${this.decoyIterations}$${salt}$${randomBytes(KEY_LENGTH).toString('base64')}`);
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
