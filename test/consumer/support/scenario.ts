/** The user journey every consumer fixture must pass, over real HTTP. */
export interface ScenarioResult {
  /** The token that was logged out (must be gone from the store) and the one that must remain. */
  loggedOut: string;
  kept: string;
}

async function call(base: string, method: string, path: string, options: { token?: string; body?: object } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function login(base: string, client: string): Promise<string> {
  const res = await call(base, 'POST', '/auth/login', {
    body: { username: 'alice', password: 'correct horse', client },
  });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ client, user: { id: 1, username: 'alice' } });
  return (res.body as { token: string }).token;
}

/**
 * register → log in from two clients → protected route → client-restricted route → rate-limited
 * route → sessions → logout → 401 for the old token, 200 for the other.
 */
export async function runScenario(base: string): Promise<ScenarioResult> {
  const registered = await call(base, 'POST', '/users', { body: { username: 'alice', password: 'correct horse' } });
  expect(registered).toMatchObject({ status: 201, body: { id: 1, username: 'alice' } });
  expect((await call(base, 'POST', '/users', { body: { username: 'al', password: 'x' } })).status).toBe(400);

  const web = await login(base, 'web');
  const mobile = await login(base, 'mobile');
  expect(web).toMatch(/^mta_[0-9A-Za-z]{38}$/);

  expect(await call(base, 'GET', '/me', { token: web })).toMatchObject({
    status: 200,
    body: { id: 1, username: 'alice', client: 'web' },
  });
  const anonymous = await call(base, 'GET', '/me');
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="api"');

  expect(await call(base, 'GET', '/billing', { token: web })).toMatchObject({ status: 200, body: { plan: 'pro' } });
  expect(await call(base, 'GET', '/billing', { token: mobile })).toMatchObject({
    status: 403,
    body: { code: 'client_not_allowed' },
  });

  for (const remaining of ['2', '1', '0']) {
    const res = await call(base, 'GET', '/search', { token: mobile });
    expect([res.status, res.headers.get('x-ratelimit-remaining')]).toEqual([200, remaining]);
  }
  const limited = await call(base, 'GET', '/search', { token: mobile });
  expect(limited).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  // The budget is per user+client: the web session is not limited by the mobile one's use.
  expect((await call(base, 'GET', '/search', { token: web })).status).toBe(200);

  const sessions = await call(base, 'GET', '/auth/sessions', { token: mobile });
  expect(sessions.status).toBe(200);
  const list = sessions.body as { client: string; current: boolean }[];
  expect(list.map((session) => [session.client, session.current]).sort()).toEqual([
    ['mobile', true],
    ['web', false],
  ]);

  expect((await call(base, 'POST', '/auth/logout', { token: web })).status).toBe(204);
  expect(await call(base, 'GET', '/me', { token: web })).toMatchObject({
    status: 401,
    body: { code: 'invalid_token' },
  });
  expect(await call(base, 'GET', '/me', { token: mobile })).toMatchObject({ status: 200, body: { client: 'mobile' } });
  return { loggedOut: web, kept: mobile };
}
