/** Hashes passwords for storage and verifies them. Implementations must compare in constant time. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Resolves `false` (never throws) for a wrong password or a hash it cannot read. */
  verify(hash: string, password: string): Promise<boolean>;
}
