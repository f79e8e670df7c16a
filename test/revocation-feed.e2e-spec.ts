import { createHash } from 'node:crypto';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** `GET /auth/revocations`, the journal the resource servers follow, over HTTP on the demo (SQLite). */
describe('GET /auth/revocations: the revocation feed for resource servers', () => {
  let demo: Demo;
  let reader: LoginResult;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
    await demo.register('svc');
    reader = await demo.apiKey((await demo.login('svc', 'web')).token, 'orders service', {
      scopes: ['auth:introspect'],
    });
  });
  afterEach(() => demo.close());

  const feed = (query = '', caller = reader.token) =>
    demo.http().get(`/auth/revocations${query}`).set(demo.auth(caller));
  const journal = () =>
    demo.db.prepare('SELECT position, digest, user_id FROM auth_revocations ORDER BY position').all() as {
      position: number;
      digest: string | null;
      user_id: string | null;
    }[];

  it('the head and the positions kept, then each revocation by position: a token by digest, a user by id', async () => {
    const start = (await feed().expect(200)).body as { head: number; positions: number[] };
    expect(start).toEqual({ head: journal().at(-1)?.position ?? 0, positions: journal().map((e) => e.position) });
    const phone = await demo.login('alice', 'mobile');
    await demo.http().post('/auth/logout').set(demo.auth(phone.token)).expect(204);
    const laptop = await demo.login('alice', 'web');
    await demo.http().post('/auth/logout-all').set(demo.auth(laptop.token)).expect(204);
    const res = await feed(`?after=${start.head}`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { entries } = res.body as { entries: { position: number; digest: string | null; userId: string | null }[] };
    // The stored journal, row for row; the logout's token by its digest among them.
    expect(entries).toEqual(
      journal()
        .filter((row) => row.position > start.head)
        .map((row) => ({ position: row.position, digest: row.digest, userId: row.user_id })),
    );
    expect(entries.map((entry) => entry.digest)).toContain(sha256(phone.token));
    expect(entries.map((entry) => entry.digest)).toContain(sha256(laptop.token));
    // A page, and ranges.
    expect(((await feed(`?after=${start.head}&limit=1`).expect(200)).body as { entries: unknown[] }).entries).toEqual([
      entries[0],
    ]);
    const first = entries[0].position;
    expect((await feed(`?within=${first}-${first},0-0`).expect(200)).body).toEqual({ entries: [entries[0]] });
  });

  it('the caller must hold auth:introspect by name: 401 without a token, 403 for a session', async () => {
    expect((await demo.http().get('/auth/revocations').expect(401)).body).toMatchObject({ code: 'missing_token' });
    const session = await demo.login('alice', 'web');
    expect((await feed('', session.token).expect(403)).body).toMatchObject({ code: 'insufficient_scope' });
  });

  it.each([
    ['?after=-1', 'after must be a whole number >= 0'],
    ['?after=1.5', 'after must be a whole number >= 0'],
    ['?after=1&limit=0', 'limit must be 1 to 1000'],
    ['?after=1&limit=1001', 'limit must be 1 to 1000'],
    ['?after=1&within=1-2', 'give after or within, not both'],
    ['?within=3-1', 'within ranges run from low to high'],
    ['?within=1-2-3', 'within must read like 5-9,12-12'],
    [`?within=${Array.from({ length: 21 }, (_, i) => `${i}-${i}`).join(',')}`, 'within names at most 20 ranges'],
    ['?limit=5', 'after and within are single values; limit goes with after'],
    ['?after=1&after=2', 'after and within are single values; limit goes with after'],
    ['?since=1', 'unknown parameter since'],
  ])('400 validation_failed for %s', async (query, message) => {
    const res = await feed(query).expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', message: [message] });
  });
});
