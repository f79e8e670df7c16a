import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

/** `?limit=&cursor=` and RFC 8288 `Link: <…>; rel="next"` on the two lists; the body stays an array. */
describe('paginated lists (GET /auth/sessions, GET /auth/api-keys)', () => {
  let demo: Demo;
  let alice: LoginResult;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
    alice = await demo.login('alice', 'web');
  });
  afterEach(() => demo.close());

  const get = (path: string) => demo.http().get(path).set(demo.auth(alice.token));
  const nextOf = (link: string | undefined) => /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];

  /** Follows `Link` from `first` to the end; returns every page's ids. */
  async function walk(first: string): Promise<string[][]> {
    const pages: string[][] = [];
    let path: string | undefined = first;
    while (path) {
      const res = await get(path).expect(200);
      expect(Array.isArray(res.body)).toBe(true);
      pages.push((res.body as { id: string }[]).map((item) => item.id));
      path = nextOf(res.headers.link);
    }
    return pages;
  }

  it('sessions: pages of ?limit= newest first, each page linking the next; the last page has no Link', async () => {
    const ids = [alice.id];
    for (let i = 0; i < 6; i++) {
      // Two sessions per millisecond: the cursor orders ties by id, so none is skipped or repeated.
      if (i % 2 === 0) demo.clock.advance(1);
      ids.push((await demo.login('alice', 'mobile')).id);
    }
    const pages = await walk('/auth/sessions?limit=3');
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    const all = (await get('/auth/sessions').expect(200)).body as { id: string }[];
    expect(pages.flat()).toEqual(all.map((s) => s.id));
    expect([...pages.flat()].sort()).toEqual([...ids].sort());
    const first = await get('/auth/sessions?limit=3').expect(200);
    expect(first.headers.link).toMatch(/^<\/auth\/sessions\?limit=3&cursor=[A-Za-z0-9_-]+>; rel="next"$/);
  });

  it('without ?limit= a page holds 50; ?limit=100 is the most', async () => {
    for (let i = 0; i < 55; i++) await demo.apiKey(alice.token, `k${i}`);
    const page = await get('/auth/sessions').expect(200);
    expect(page.body).toHaveLength(50);
    expect(nextOf(page.headers.link)).toBeDefined();
    const whole = await get('/auth/sessions?limit=100').expect(200);
    expect(whole.body).toHaveLength(56);
    expect(whole.headers.link).toBeUndefined();
  });

  it('API keys: the same paging, keys only', async () => {
    for (let i = 0; i < 5; i++) {
      demo.clock.advance(1);
      await demo.apiKey(alice.token, `k${i}`);
    }
    const pages = await walk('/auth/api-keys?limit=2');
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).not.toContain(alice.id);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'cursor=bm9wZQ', 'cursor=' + 'A'.repeat(81)])(
    '400 validation_failed for ?%s',
    async (query) => {
      for (const path of ['/auth/sessions', '/auth/api-keys']) {
        const res = await get(`${path}?${query}`).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
      }
    },
  );
});
