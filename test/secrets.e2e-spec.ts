import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDemo, type Demo } from './support/demo.harness';

describe('no plaintext token at rest or in the logs', () => {
  let demo: Demo;
  afterAll(() => demo.close());

  it('finds none of the issued tokens in the SQLite files or the captured log output', async () => {
    demo = await startDemo();
    await demo.register('alice');
    const issued: string[] = [];
    for (const client of ['web', 'mobile', 'cli', 'kiosk']) issued.push((await demo.login('alice', client)).token);
    const key = await demo.apiKey(issued[0], 'ci');
    issued.push(key.token);
    // Exercise every path that handles a token: success, failures, refresh, logout, revocation.
    for (const token of issued) await demo.http().get('/me').set(demo.auth(token)).expect(200);
    await demo.http().get(`/me?access_token=${issued[1]}`).expect(400);
    await demo.http().get('/me').set('Authorization', `Bearer ${issued[2]}x`).expect(401);
    await demo.http().post('/auth/refresh').set(demo.auth(issued[0])).expect(200);
    await demo.http().post('/auth/logout').set(demo.auth(issued[1])).expect(204);
    await demo.http().get('/me').set(demo.auth(issued[1])).expect(401);
    await demo.app.close().catch(() => undefined);

    const files = readdirSync(demo.dir).filter((name) => name.startsWith('demo.sqlite'));
    expect(files).toContain('demo.sqlite');
    const stored = files.map((name) => readFileSync(join(demo.dir, name)).toString('latin1')).join('\n');
    const logged = demo.logs.lines.join('\n');
    expect(demo.logs.lines.length).toBeGreaterThan(0);
    for (const token of issued) {
      const secret = token.slice(4, 36);
      expect(stored.includes(secret)).toBe(false);
      expect(logged.includes(secret)).toBe(false);
    }
    // The digests, on the other hand, are there: the check above is reading the right bytes.
    expect(stored).toContain(demo.tokens()[0].digest);
  });
});
