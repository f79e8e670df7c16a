import crypto from 'node:crypto';
import { InvalidCredentialsException } from '../../contracts/errors/auth.exceptions';
import { setup, testHasher } from '../../testing/setup.fixture';
import { CredentialsVerifier } from '../../services/users/credentials.verifier';
import { DjangoPbkdf2PasswordHasher } from './django-pbkdf2-password.hasher';
import type { PasswordHasher } from '../../contracts/password-hasher.interface';

// Written by Django's algorithm, computed independently of this code with Python's hashlib:
//   'pbkdf2_sha256$%d$%s$%s' % (n, salt, base64.b64encode(hashlib.pbkdf2_hmac('sha256',
//   password.encode(), salt.encode(), n)).decode())
const DJANGO_5_2 = 'pbkdf2_sha256$1000000$Vq3XoWb8nTzJ1sKdYp2LmE$biEeRVDKFXd0DbIQUGIUNWddubE0zCkV9v8yuewy8o0=';
const DJANGO_5_1 = 'pbkdf2_sha256$870000$Vq3XoWb8nTzJ1sKdYp2LmE$6K2O+2PIwORCXSPgPbWGES5z0+ZByWWgaa8mTpMC+Hw=';
const NON_ASCII = 'pbkdf2_sha256$10000$u7Tq0ZrX2cVb$oR675DGArT4a23sfrZTUhAmM/Vkz1mph1xDm6pE1voY=';
const ITERATIONS_10001 = 'pbkdf2_sha256$10001$Vq3XoWb8nTzJ1sKdYp2LmE$vqC+uZhZUTq68XUE+t4zTFjmw/EF2zsiJJrACok+UCc=';
const ITERATIONS_2000001 = 'pbkdf2_sha256$2000001$Vq3XoWb8nTzJ1sKdYp2LmE$touGigzcBNOYgS4hSrcdG9O9tutHXb591GC1PwOKjeM=';

describe('DjangoPbkdf2PasswordHasher', () => {
  const hasher = new DjangoPbkdf2PasswordHasher({ fallback: testHasher });

  it.each([
    ['Django 5.2 (1 000 000 iterations)', DJANGO_5_2, 'correct horse'],
    ['Django 5.1 (870 000 iterations)', DJANGO_5_1, 'correct horse'],
    ['a non-ASCII password (UTF-8 bytes, as Django hashes them)', NON_ASCII, 'pässwörd ☃'],
  ])('verifies a hash written by %s, and refuses a wrong password', async (_case, hash, password) => {
    await expect(hasher.verify(hash, password)).resolves.toBe(true);
    await expect(hasher.verify(hash, `${password}!`)).resolves.toBe(false);
  });

  it('refuses, without computing, a hash asking more iterations than maxIterations', async () => {
    const capped = new DjangoPbkdf2PasswordHasher({ fallback: testHasher, maxIterations: 10_000 });
    await expect(capped.verify(NON_ASCII, 'pässwörd ☃')).resolves.toBe(true); // 10 000: at the cap
    await expect(capped.verify(ITERATIONS_10001, 'correct horse')).resolves.toBe(false);
    // The default cap: the right password, but 2 000 001 iterations.
    const started = process.hrtime.bigint();
    await expect(hasher.verify(ITERATIONS_2000001, 'correct horse')).resolves.toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(100);
  });

  it.each([
    'pbkdf2_sha256$',
    'pbkdf2_sha256$0$salt$biEeRVDKFXd0DbIQUGIUNWddubE0zCkV9v8yuewy8o0=',
    'pbkdf2_sha256$-5$salt$biEeRVDKFXd0DbIQUGIUNWddubE0zCkV9v8yuewy8o0=',
    'pbkdf2_sha256$1e3$salt$biEeRVDKFXd0DbIQUGIUNWddubE0zCkV9v8yuewy8o0=',
    'pbkdf2_sha256$1000$$biEeRVDKFXd0DbIQUGIUNWddubE0zCkV9v8yuewy8o0=',
    'pbkdf2_sha256$1000$salt$c2hvcnQ=',
    'pbkdf2_sha256$1000$salt$biEeRVDKFXd0DbIQUGIUNWddubE0zCkV9v8yuewy8o0=$extra',
  ])('answers false for the unreadable hash %p', async (hash) => {
    await expect(hasher.verify(hash, 'correct horse')).resolves.toBe(false);
  });

  it('hashes new passwords with the fallback, verifies its hashes, and says which hashes to replace', async () => {
    const hash = await hasher.hash('new password');
    expect(hash).toMatch(/^scrypt\$1024\$/);
    await expect(hasher.verify(hash, 'new password')).resolves.toBe(true);
    await expect(hasher.verify('bcrypt$10$a$b', 'new password')).resolves.toBe(false);
    expect(hasher.needsRehash(DJANGO_5_2)).toBe(true);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it.each([0, 1.5, 10_000_001, Number.NaN])('refuses maxIterations %p at start-up, naming the setting', (value) => {
    expect(() => new DjangoPbkdf2PasswordHasher({ maxIterations: value })).toThrow(
      /maxIterations must be a whole number from 1 to 10000000/,
    );
  });

  it.each([0, 1.5, Number.NaN, 2_000_001])('refuses decoyIterations %p at start-up, naming the setting', (value) => {
    expect(() => new DjangoPbkdf2PasswordHasher({ decoyIterations: value })).toThrow(
      /decoyIterations must be a whole number from 1 to maxIterations \(2000000\) or null/,
    );
    // Over a lower cap too: verify() would refuse that decoy without computing it.
    expect(() => new DjangoPbkdf2PasswordHasher({ maxIterations: 600_000, decoyIterations: 600_001 })).toThrow(
      /decoyIterations must be a whole number from 1 to maxIterations \(600000\)/,
    );
  });

  it("makes a Django decoy at decoyIterations (default Django 5.2's 1 000 000) that no password matches", async () => {
    const decoy = await hasher.decoyHash();
    expect(decoy).toMatch(/^pbkdf2_sha256\$1000000\$[0-9a-f]{22}\$[A-Za-z0-9+/]{43}=$/);
    expect(await hasher.decoyHash()).not.toBe(decoy);
    const cheap = new DjangoPbkdf2PasswordHasher({ fallback: testHasher, decoyIterations: 1000 });
    const derived = jest.spyOn(crypto, 'pbkdf2');
    try {
      // Read and computed like a real Django hash (not refused as unreadable), and false.
      await expect(cheap.verify(await cheap.decoyHash(), '')).resolves.toBe(false);
      expect(derived.mock.calls.map((call) => call[2])).toEqual([1000]);
    } finally {
      derived.mockRestore();
    }
    // A lower cap lowers the default decoy with it: no stored hash it verifies costs more.
    await expect(new DjangoPbkdf2PasswordHasher({ maxIterations: 600_000 }).decoyHash()).resolves.toMatch(
      /^pbkdf2_sha256\$600000\$/,
    );
    // null: the fallback's decoy, for when most users have re-hashed.
    const scrypt = new DjangoPbkdf2PasswordHasher({ fallback: testHasher, decoyIterations: null });
    await expect(scrypt.decoyHash()).resolves.toMatch(/^scrypt\$1024\$/);
  });

  it('checks an unknown username with as many PBKDF2 iterations as a moved user with a wrong password', async () => {
    const iterationsOf = async (run: () => Promise<unknown>): Promise<number[]> => {
      const derived = jest.spyOn(crypto, 'pbkdf2');
      try {
        await expect(run()).rejects.toBeInstanceOf(InvalidCredentialsException);
        return derived.mock.calls.map((call) => call[2]);
      } finally {
        derived.mockRestore();
      }
    };
    const fixture = await setup({
      passwordHasher: new DjangoPbkdf2PasswordHasher({ fallback: testHasher, decoyIterations: 10_000 }),
    });
    try {
      await fixture.users.save(fixture.users.create({ username: 'alice', passwordHash: NON_ASCII, isActive: true }));
      const credentials = fixture.module.get(CredentialsVerifier);
      expect(await iterationsOf(() => credentials.check('alice', 'wrong', '192.0.2.1'))).toEqual([10_000]);
      expect(await iterationsOf(() => credentials.check('nobody', 'wrong', '192.0.2.1'))).toEqual([10_000]);
      expect(await iterationsOf(() => credentials.check('nobody2', 'wrong', '192.0.2.1'))).toEqual([10_000]);
    } finally {
      await fixture.close();
    }
  });

  it("uses a custom hasher's decoyHash(), once, and hash() of a random password without one", async () => {
    const verified: string[] = [];
    const hashed: string[] = [];
    const base = { verify: (hash: string) => Promise.resolve(verified.push(hash) < 0) };
    const withDecoy: PasswordHasher = {
      ...base,
      hash: () => Promise.resolve('new'),
      decoyHash: () => Promise.resolve(`decoy${verified.length}`),
    };
    const without: PasswordHasher = { ...base, hash: (password) => Promise.resolve(`hash:${hashed.push(password)}`) };
    for (const passwordHasher of [withDecoy, without]) {
      const fixture = await setup({ passwordHasher });
      try {
        const credentials = fixture.module.get(CredentialsVerifier);
        for (const name of ['nobody', 'nobody2']) {
          await expect(credentials.check(name, 'pw', '192.0.2.1')).rejects.toBeInstanceOf(InvalidCredentialsException);
        }
      } finally {
        await fixture.close();
      }
    }
    expect(verified).toEqual(['decoy0', 'decoy0', 'hash:1', 'hash:1']);
    expect(hashed).toHaveLength(1);
    expect(hashed[0]).not.toBe('pw');
  });

  it('lets a user moved from Django sign in with the old password through the module', async () => {
    const fixture = await setup({ passwordHasher: hasher });
    try {
      await fixture.users.save(fixture.users.create({ username: 'alice', passwordHash: DJANGO_5_2, isActive: true }));
      const credentials = fixture.module.get(CredentialsVerifier);
      await expect(credentials.check('alice', 'correct horse')).resolves.toMatchObject({ username: 'alice' });
      await expect(credentials.check('alice', 'correct horsf')).rejects.toBeInstanceOf(InvalidCredentialsException);
    } finally {
      await fixture.close();
    }
  });
});
