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
});
