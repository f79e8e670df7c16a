import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { startRedis, type RedisServer } from '../libs/multi-token-auth/src/testing/redis.server';
import { spawnTs } from '../libs/multi-token-auth/src/testing/ts-child';
import { within } from '../libs/multi-token-auth/src/testing/within';
import type { RedisDemoReply } from './support/redis-demo.child';

const LINKS = ['publisher', 'subscriber', 'counters'];

/**
 * Redis stopped for a few seconds under the demo (REDIS_URL): ioredis used to print every failed
 * reconnection of every connection to stderr with its stack ("[ioredis] Unhandled error event", 151
 * a minute). Now each of the library's connections logs one line when it goes down and one when it
 * is back, and nothing reaches stderr or stdout.
 *
 * The demo runs in a process of its own: ioredis prints only errors that are `instanceof Error` in
 * its own realm, and inside Jest's sandbox the socket errors come from Node's, so an in-process
 * spec would see nothing even without the fix.
 */
describe('Redis stopped: one line down, one line back, per link, nothing on the console', () => {
  let redis: RedisServer;
  let child: ChildProcess;
  let output: () => string;
  let dir: string;
  let url: string;
  const logs: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'mta-redis-logs-'));
    ({ child, output } = spawnTs(join(__dirname, 'support', 'redis-demo.child.ts'), {
      DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`,
      REDIS_URL: redis.url,
    }));
    const port = await new Promise<number>((resolve, reject) => {
      child.on('message', (message: RedisDemoReply) => {
        if ('port' in message) resolve(message.port);
        else logs.push(message.log);
      });
      child.on('exit', (code) => reject(new Error(`the demo exited ${code}:\n${output()}`)));
    });
    url = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(async () => {
    if (child?.connected) {
      const exited = new Promise((done) => child.once('exit', done));
      child.send('close');
      await exited;
    }
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs each link going down and coming back exactly once, prints nothing, and keeps serving', async () => {
    await request(url).post('/users').send({ username: 'alice', password: 'correct horse' }).expect(201);
    const { token } = (
      await request(url)
        .post('/auth/login')
        .send({ username: 'alice', password: 'correct horse', client: 'web' })
        .expect(201)
    ).body as { token: string };
    const lines = (state: 'down' | 'back', link: string) =>
      logs.filter((line) => line.includes(`Redis link "${link}" is ${state}`));
    const printedBefore = output().length;

    await redis.stop();
    // A few seconds down: every link retries several times meanwhile (at most 1 s apart).
    const started = Date.now();
    expect(await within(2_000, () => LINKS.every((link) => lines('down', link).length === 1))).toBe(true);
    while (Date.now() - started < 4_000) {
      // The demo keeps answering from its database (SQLite); counters fall back to memory.
      await request(url).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
      await new Promise((wait) => setTimeout(wait, 250));
    }
    await redis.restart();
    expect(await within(3_000, () => LINKS.every((link) => lines('back', link).length === 1))).toBe(true);
    await request(url).get('/me').set('Authorization', `Bearer ${token}`).expect(200);

    for (const link of LINKS) {
      expect(lines('down', link)).toEqual([
        expect.stringMatching(
          new RegExp(`^warn Redis link "${link}" is down \\([^)]*\\); reconnecting MultiTokenAuth$`),
        ),
      ]);
      expect(lines('back', link)).toEqual([`log Redis link "${link}" is back MultiTokenAuth`]);
    }
    // Nothing else about Redis in the app's log (no line per retry), and nothing on stdout or stderr.
    expect(logs.filter((line) => /redis|ECONNREFUSED/i.test(line))).toHaveLength(2 * LINKS.length);
    expect(output().slice(printedBefore)).toBe('');
  }, 30_000);
});
