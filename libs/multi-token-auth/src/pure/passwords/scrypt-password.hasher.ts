import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../../contracts/password-hasher.interface';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128 * N * r bytes; the default 32 MiB is too small for N = 2^17.
    scrypt(password, salt, KEY_LENGTH, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * scrypt from `node:crypto`, stored as `scrypt$<N>$<salt b64>$<key b64>`. No native add-on and no
 * dependency, and the work runs on libuv's thread pool, so hashing does not block the event loop.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  /** @param cost scrypt's N (a power of two). Default 2^15, about 50 ms on a 2024 server core. */
  constructor(private readonly cost = 2 ** 15) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.cost);
    return `scrypt$${this.cost}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(hash: string, password: string): Promise<boolean> {
    const [scheme, costText, saltText, keyText] = hash.split('$');
    const cost = Number(costText);
    if (scheme !== 'scrypt' || !Number.isInteger(cost) || cost < 2 || !saltText || !keyText) {
      return false;
    }
    const expected = Buffer.from(keyText, 'base64');
    const actual = await derive(password, Buffer.from(saltText, 'base64'), cost);
    // Constant time, so that the time taken says nothing about how much of the key matched.
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}
