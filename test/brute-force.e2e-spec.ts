import { EventEmitter2 } from '@nestjs/event-emitter';
import { startDemo, type Demo } from './support/demo.harness';

/**
 * Password guessing is limited per username+IP (10 / 15 min) and per IP (100 / 15 min), on login
 * and on every current-password check; past a limit, 429 with Retry-After, even for the right password.
 */
describe('brute force', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo({ TRUST_PROXY: '1' });
    await demo.register('alice');
  });
  afterEach(() => demo.close());

  const login = (password: string, ip: string, username = 'alice') =>
    demo.http().post('/auth/login').set('X-Forwarded-For', ip).send({ username, password, client: 'web' });

  it('the 11th attempt on one username from one IP in 15 minutes is 429, even with the right password', async () => {
    for (let i = 0; i < 10; i++) await login('wrong', '10.0.0.1').expect(401);
    const refused = await login('correct horse', '10.0.0.1').expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'too_many_attempts' });
    expect(Number(refused.headers['retry-after'])).toBe(900);
    expect(demo.tokens()).toEqual([]);
    // Another address is not held back (per username+IP, so the owner is not locked out by an attacker).
    await login('correct horse', '10.0.0.2').expect(201);
    demo.clock.advance(10 * 60_000);
    expect(Number((await login('correct horse', '10.0.0.1').expect(429)).headers['retry-after'])).toBe(300);
    demo.clock.advance(5 * 60_000);
    await login('correct horse', '10.0.0.1').expect(201);
  });

  it('a correct password clears the username+IP count', async () => {
    for (let i = 0; i < 9; i++) await login('wrong', '10.0.0.1').expect(401);
    await login('correct horse', '10.0.0.1').expect(201);
    for (let i = 0; i < 10; i++) await login('wrong', '10.0.0.1').expect(401);
    await login('wrong', '10.0.0.1').expect(429);
  });

  it('usernames differing only in case share one count', async () => {
    for (let i = 0; i < 5; i++) await login('wrong', '10.0.0.1', 'alice').expect(401);
    for (let i = 0; i < 5; i++) await login('wrong', '10.0.0.1', 'ALICE').expect(401);
    await login('correct horse', '10.0.0.1', 'Alice').expect(429);
  });

  it('one IP gets 100 attempts in 15 minutes across all usernames, then 429 for any', async () => {
    for (let i = 0; i < 100; i++) await login('wrong', '10.0.0.9', `user${i % 20}`).expect(401);
    await login('correct horse', '10.0.0.9', 'alice').expect(429);
    await login('correct horse', '10.0.0.10', 'alice').expect(201);
  });

  it('30 concurrent guesses from one IP: at most 10 reach the password check, the rest are 429', async () => {
    const responses = await Promise.all(Array.from({ length: 30 }, () => login('wrong', '10.0.0.1')));
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    await login('correct horse', '10.0.0.1').expect(429);
  });

  it('the current password on a password change: 10 wrong guesses, then 429 with Retry-After, nothing changed', async () => {
    const { token } = (await login('correct horse', '10.0.0.5').expect(201)).body as { token: string };
    const change = (currentPassword: string) =>
      demo
        .http()
        .post('/users/me/password')
        .set(demo.auth(token))
        .set('X-Forwarded-For', '10.0.0.5')
        .send({ currentPassword, newPassword: 'a new password' });
    for (let i = 0; i < 10; i++) await change(`guess${i}`).expect(401);
    const refused = await change('correct horse').expect(429);
    expect(refused.body).toMatchObject({ code: 'too_many_attempts' });
    expect(refused.headers['retry-after']).toBe('900');
    await login('correct horse', '10.0.0.6').expect(201);
  });

  it('the password on API-key creation is limited the same way', async () => {
    const { token } = (await login('correct horse', '10.0.0.7').expect(201)).body as { token: string };
    const create = (password: string) =>
      demo
        .http()
        .post('/auth/api-keys')
        .set(demo.auth(token))
        .set('X-Forwarded-For', '10.0.0.7')
        .send({ name: 'k', password });
    for (let i = 0; i < 10; i++) await create('guess').expect(401);
    await create('correct horse').expect(429);
    expect(demo.tokens().filter((t) => t.client_id === demo.clientId('api'))).toEqual([]);
  });

  describe('behind a proxy (TRUST_PROXY=1): one address however X-Forwarded-For spells it', () => {
    it('a port per request is still one address: the 11th attempt is 429, as from the bare address', async () => {
      for (let port = 40_000; port < 40_010; port++) await login('wrong', `10.7.7.7:${port}`).expect(401);
      const refused = await login('correct horse', '10.7.7.7:40010').expect(429);
      expect(refused.body).toMatchObject({ statusCode: 429, code: 'too_many_attempts' });
      await login('correct horse', '10.7.7.7').expect(429);
      expect(demo.tokens()).toEqual([]);
      // The neighbour is another address.
      await login('correct horse', '10.7.7.8:40000').expect(201);
      expect(demo.tokens().map((row) => row.ip)).toEqual(['10.7.7.8']);
    });

    it('bracketed, IPv4-mapped and numeric spellings of 127.0.0.1 share its count', async () => {
      const spellings = [
        '127.0.0.1',
        '127.0.0.1:5000',
        '[::ffff:127.0.0.1]:443',
        '::ffff:7f00:1',
        '0x7f.1',
        '017700000001',
        '2130706433',
        '127.1',
        '0x7F.0.0.1:80',
        '"[::ffff:127.0.0.1]:8443"',
      ];
      for (const ip of spellings) await login('wrong', ip).expect(401);
      for (const ip of spellings) await login('correct horse', ip).expect(429);
      expect(demo.tokens()).toEqual([]);
    });

    it('an IPv6 /64 is one client for the per-IP limit, whichever of its addresses and ports', async () => {
      for (let i = 0; i < 100; i++) {
        const ip = `[2001:db8:77:1:${((i * 7919) % 0x10000).toString(16)}:${i.toString(16)}::${i + 1}]:${40_000 + i}`;
        await login('wrong', ip, `user${i % 20}`).expect(401);
      }
      const refused = await login('correct horse', '2001:db8:77:1:ffff:ffff:ffff:ffff').expect(429);
      expect(refused.body).toMatchObject({ code: 'too_many_attempts' });
      await login('correct horse', '[2001:db8:77:2::1]:443').expect(201);
      expect(demo.tokens().map((row) => row.ip)).toEqual(['2001:db8:77:2::1']);
    });

    it('what is not an address counts as itself: neither a free pass per value nor one bucket for all', async () => {
      for (let i = 0; i < 10; i++) await login('wrong', 'unknown').expect(401);
      await login('correct horse', 'unknown').expect(429);
      // Another value a proxy might write is not locked out by the first one's attempts.
      await login('correct horse', '_hidden-client-7').expect(201);
      expect(demo.tokens().map((row) => row.ip)).toEqual([null]);
    });

    it('login.failed reports the canonical address, never the port', async () => {
      const failed: unknown[] = [];
      demo.app.get(EventEmitter2).on('login.failed', (payload: unknown) => failed.push(payload));
      await login('wrong', '[::ffff:10.7.7.9]:40000').expect(401);
      await login('wrong', '[2001:DB8:0:0::1]:443').expect(401);
      expect(failed).toMatchObject([{ ip: '10.7.7.9' }, { ip: '2001:db8::1' }]);
    });
  });
});
