/** Hashes passwords for storage and verifies them. Implementations must compare in constant time. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Resolves `false` (never throws) for a wrong password or a hash it cannot read. */
  verify(hash: string, password: string): Promise<boolean>;
}

/**
 * Injection token of the configured hasher (option `passwordHasher`, scrypt by default), for a
 * registration or password-change flow that must hash the way login verifies.
 *
 * @example
 * constructor(@Inject(PasswordHasher) private readonly hasher: PasswordHasher) {}
 */
export const PasswordHasher = Symbol('PasswordHasher');
