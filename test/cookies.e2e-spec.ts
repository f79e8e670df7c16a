import { createHash } from 'node:crypto';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { startDemo, type Demo } from './support/demo.harness';

const SESSION = '__Host-mta';
const CSRF = '__Host-mta_csrf';
/** What logout answers: both cookies expired. */
const CLEARED = [
  `${SESSION}=; Path=/; SameSite=Lax; Secure; HttpOnly; Max-Age=0`,
  `${CSRF}=; Path=/; SameSite=Lax; Secure; Max-Age=0`,
];

/** The demo's `browser` client (`cookie: true`): the token travels in an HttpOnly cookie, with a CSRF token. */
describe('cookie transport (the demo browser client)', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
  });
  afterEach(() => demo.close());

  async function browserLogin() {
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'browser' })
      .expect(201);
    const cookies = res.headers['set-cookie'] as unknown as string[];
    const value = (name: string) =>
      cookies
        .find((c) => c.startsWith(`${name}=`))
        ?.split(';')[0]
        .slice(name.length + 1);
    return { res, cookies, token: value(SESSION) as string, csrf: value(CSRF) as string };
  }
  const cookieHeader = (token: string, csrf?: string) =>
    `${SESSION}=${token}${csrf ? `; ${CSRF}=${csrf}` : ''}; theme=dark`;

  /** An unsafe request the way a page sends it: the cookie, and the CSRF token in its header. */
  const withCsrf = (path: string, token: string, csrf: string) =>
    demo.http().post(path).set('Cookie', cookieHeader(token)).set('X-CSRF-Token', csrf);

  it('login sets the token as a __Host- HttpOnly, Secure, SameSite=Lax cookie, and the body has no token', async () => {
    const { res, cookies, token, csrf } = await browserLogin();
    expect(res.body.token).toBeUndefined();
    expect(res.body).toMatchObject({ client: 'browser', csrfToken: csrf });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(cookies.find((c) => c.startsWith(`${SESSION}=`))).toBe(
      `${SESSION}=${token}; Path=/; SameSite=Lax; Secure; HttpOnly; Max-Age=43200`,
    );
    expect(cookies.find((c) => c.startsWith(`${CSRF}=`))).toBe(
      `${CSRF}=${csrf}; Path=/; SameSite=Lax; Secure; Max-Age=43200`,
    );
    expect(token).toMatch(/^mta_/);
    // Stored as a digest like any token, with its client.
    const row = demo.tokens().find((t) => t.id === res.body.id);
    expect(row?.digest).toBe(createHash('sha256').update(token).digest('hex'));
    expect(row?.client_id).toBe(demo.clientId('browser'));
  });

  it('a browser login sent as a form (what another site can post without asking) is 415 json_required, with no cookie', async () => {
    const before = demo.tokens().length;
    const form = await demo
      .http()
      .post('/auth/login')
      .type('form')
      .set('Origin', 'https://evil.example')
      .send({ username: 'alice', password: 'correct horse', client: 'browser' });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({ code: 'json_required' });
    expect(form.headers['set-cookie']).toBeUndefined();
    expect(demo.tokens()).toHaveLength(before);
    // Other clients keep their forms (no cookie to plant), and JSON with a charset is JSON.
    await demo
      .http()
      .post('/auth/login')
      .type('form')
      .send({ username: 'alice', password: 'correct horse', client: 'web' })
      .expect(201);
    await demo
      .http()
      .post('/auth/login')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ username: 'alice', password: 'correct horse', client: 'browser' }))
      .expect(201);
  });

  it('the cookie authenticates safe requests without an Authorization header', async () => {
    const { token } = await browserLogin();
    const me = await demo.http().get('/me').set('Cookie', cookieHeader(token)).expect(200);
    expect(me.body).toMatchObject({ username: 'alice', client: 'browser' });
    await demo.http().get('/auth/sessions').set('Cookie', cookieHeader(token)).expect(200);
  });

  it('an unsafe request by cookie without the right X-CSRF-Token is 403 csrf_failed, and changes nothing', async () => {
    const { token, csrf } = await browserLogin();
    for (const header of [undefined, 'wrong', csrf.slice(1), `${csrf}x`]) {
      const req = demo.http().post('/auth/logout').set('Cookie', cookieHeader(token, csrf));
      const res = await (header === undefined ? req : req.set('X-CSRF-Token', header)).expect(403);
      expect(res.body).toMatchObject({ code: 'csrf_failed' });
    }
    expect(demo.tokens()).toHaveLength(1);
  });

  it('with the CSRF token, logout works and clears both cookies; the token is refused afterwards', async () => {
    const { token, csrf } = await browserLogin();
    const res = await withCsrf('/auth/logout', token, csrf).expect(204);
    expect(res.headers['set-cookie']).toEqual(CLEARED);
    expect(demo.tokens()).toEqual([]);
    await demo.http().get('/me').set('Cookie', cookieHeader(token)).expect(401);
  });

  it('logout-all from the browser clears both cookies too; refresh by cookie sends them again with the time left', async () => {
    const { token, csrf } = await browserLogin();
    demo.clock.advance(20 * 60_000);
    const refreshed = await withCsrf('/auth/refresh', token, csrf).expect(200);
    // An idle-timeout client's cookie lives to the absolute cap: 12 h after sign-in, 11 h 40 min from now.
    expect(refreshed.headers['set-cookie']).toEqual([
      `${SESSION}=${token}; Path=/; SameSite=Lax; Secure; HttpOnly; Max-Age=42000`,
      `${CSRF}=${csrf}; Path=/; SameSite=Lax; Secure; Max-Age=42000`,
    ]);
    const res = await withCsrf('/auth/logout-all', token, csrf).expect(204);
    expect(res.headers['set-cookie']).toEqual(CLEARED);
    expect(demo.tokens()).toEqual([]);
  });

  it('a bearer token of a non-cookie client planted in the cookie is refused', async () => {
    const { token } = await demo.login('alice', 'web');
    await demo.http().get('/me').set('Cookie', cookieHeader(token)).expect(401);
  });

  it('an Authorization header wins over the cookie and needs no CSRF token', async () => {
    const web = await demo.login('alice', 'web');
    const { token } = await browserLogin();
    const res = await demo.http().get('/me').set('Cookie', cookieHeader(token)).set(demo.auth(web.token)).expect(200);
    expect(res.body.client).toBe('web');
    await demo.http().post('/auth/logout').set('Cookie', cookieHeader(token)).set(demo.auth(web.token)).expect(204);
    await demo.http().get('/me').set('Cookie', cookieHeader(token)).expect(200);
  });

  it('the browser session slides and ends after 30 idle minutes, like any idleTimeout client', async () => {
    const { token, res } = await browserLogin();
    const expiry = () => demo.tokens().find((t) => t.id === res.body.id)?.expires_at;
    const before = expiry();
    demo.clock.advance(29 * 60_000);
    await demo.http().get('/me').set('Cookie', cookieHeader(token)).expect(200);
    expect(await within(2000, () => expiry() !== before)).toBe(true);
    demo.clock.advance(29 * 60_000); // 58 minutes after sign-in: alive, because it was used
    await demo.http().get('/me').set('Cookie', cookieHeader(token)).expect(200);
    demo.clock.advance(30 * 60_000);
    await demo.http().get('/me').set('Cookie', cookieHeader(token)).expect(401);
  });
});
