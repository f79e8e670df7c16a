import { ScryptPasswordHasher } from './scrypt-password.hasher';

describe('ScryptPasswordHasher', () => {
  const hasher = new ScryptPasswordHasher(2 ** 10);

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hasher.hash('correct horse');
    expect(hash).toMatch(/^scrypt\$1024\$/);
    expect(hash).not.toContain('correct horse');
    await expect(hasher.verify(hash, 'correct horse')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'correct horsf')).resolves.toBe(false);
  });

  it('salts: one password, two hashes', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it.each(['', 'plain', 'scrypt$x$a$b', 'bcrypt$10$a$b', 'scrypt$1024$$'])(
    'answers false for unreadable hash %p',
    async (hash) => {
      await expect(hasher.verify(hash, 'pw')).resolves.toBe(false);
    },
  );
});
