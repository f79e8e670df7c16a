/** Hashes passwords for storage and verifies them. Implementations must compare in constant time. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Resolves `false` (never throws) for a wrong password or a hash it cannot read. */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * A hash no password matches, that `verify()` takes as long to check as the app's users' stored
   * hashes: a login for an unknown username is verified against it, so that its timing does not
   * tell which usernames exist. Asked once; the result is kept. Optional: without it the decoy is
   * `hash()` of a random password, right for a hasher that verifies every stored hash at the cost
   * it hashes new ones. Implement it when stored hashes cost something else (hashes moved from
   * another system, older cost settings).
   */
  decoyHash?(): Promise<string>;
}

/**
 * Injection token of the configured hasher (option `passwordHasher`, scrypt by default), for a
 * registration or password-change flow that must hash the way login verifies.
 *
 * @example
 * constructor(@Inject(PasswordHasher) private readonly hasher: PasswordHasher) {}
 */
export const PasswordHasher = Symbol('PasswordHasher');
