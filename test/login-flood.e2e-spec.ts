import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { ManualClock } from 'nestjs-multi-token-auth';
import { loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { createDemoApp } from '../apps/demo/src/demo.app';
import { RESOLVED_OPTIONS } from '../libs/multi-token-auth/src/contracts/multi-token-auth.constants';
import { PasswordCheckQueue } from '../libs/multi-token-auth/src/pure/passwords/password-check.queue';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { CapturingLogger } from './support/capturing.logger';
import { GatedHasher } from './support/gated.hasher';
import type { ResolvedOptions } from '../libs/multi-token-auth/src/contracts/resolved-options';

interface Answer {
  status: number;
  code?: string;
}

/**
 * A distributed flood of wrong logins cannot refuse a real user's login, nor pass uncounted, nor
 * lock the user out (issue 17, item 14, and the review after it). Every password check is held at a gate, so the queue fills from many
 * addresses exactly, whatever the machine's speed; the demo runs with TRUST_PROXY=1, so each
 * X-Forwarded-For is a client address. bench/login-flood.bench.ts measures the same with real time.
 */
describe('login flood from many addresses (TRUST_PROXY=1, password checks held)', () => {
  let app: INestApplication;
  let hasher: GatedHasher;
  let base: string;
  let db: Database.Database;
  let dir: string;
  let clock: ManualClock;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mta-flood-'));
    hasher = new GatedHasher();
    clock = new ManualClock(new Date());
    const config = loadDemoConfig({ DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`, TRUST_PROXY: '1' });
    app = await createDemoApp(config, { logger: new CapturingLogger(), clock, hasher });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    db = new Database(join(dir, 'demo.sqlite'), { readonly: true });
    expect((await post('/users', { username: 'alice', password: 'correct horse' }, '10.0.0.1')).status).toBe(201);
  });
  afterEach(async () => {
    hasher.open();
    db.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(path: string, body: object, ip: string): Promise<Answer> {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { code?: string };
    return { status: res.status, code: json.code };
  }
  const login = (ip: string, password = 'wrong', username = 'alice') =>
    post('/auth/login', { username, password, client: 'web' }, ip);
  const tokens = () => db.prepare('SELECT user_id, ip FROM auth_tokens').all() as { user_id: number; ip: string }[];

  /** 4 (queuePerClient) wrong logins per address: 65 addresses fill the slots and the queue. */
  const fourEach = (i: number, perClient: number) =>
    `10.66.${Math.floor(i / perClient / 250)}.${Math.floor(i / perClient) % 250}`;

  /** Fills every running slot and every queue place with wrong logins, from `address(i)`. */
  async function fillQueue(address: (i: number, perClient: number) => string = fourEach) {
    const limits = app.get<ResolvedOptions>(RESOLVED_OPTIONS).passwordChecks;
    if (!limits) throw new Error('the demo runs with passwordChecks on');
    // maxWait is real time (10 s): on a loaded machine the held checks would time out mid-spec. The
    // queue reads this object, so the spec's checks wait as long as it needs (at most 10 minutes).
    limits.maxWait = 600;
    const queue = app.get(PasswordCheckQueue);
    const flood = new Map<string, Promise<Answer>[]>();
    const answered: Answer[] = [];
    const total = limits.concurrency + limits.queue;
    for (let i = 0; i < total; i++) {
      const ip = address(i, limits.queuePerClient);
      const answer = login(ip).then((a) => (answered.push(a), a));
      flood.set(ip, [...(flood.get(ip) ?? []), answer]);
    }
    const full = () => queue.load.running === limits.concurrency && queue.load.waiting === limits.queue;
    expect(await within(30_000, full)).toBe(true);
    expect(answered).toEqual([]);
    return { limits, queue, flood, answered, all: () => Promise.all([...flood.values()].flat()) };
  }

  it('a newcomer address is served while the queue is full: the address with the most waiting yields a place', async () => {
    const { queue, limits, answered, all } = await fillQueue();
    const real = login('10.1.1.1', 'correct horse');
    // Every flooding address has 4 waiting: one of them gives up its newest check (503) for the newcomer.
    expect(await within(30_000, () => answered.length > 0)).toBe(true);
    expect(answered).toEqual([{ status: 503, code: 'password_checks_busy' }]);
    expect(queue.load).toEqual({ running: limits.concurrency, waiting: limits.queue });
    hasher.open();
    expect(await real).toEqual({ status: 201, code: undefined });
    const answers = await all();
    expect(answers.filter((a) => a.status === 401)).toHaveLength(answers.length - 1);
    expect(tokens()).toEqual([{ user_id: 1, ip: '10.1.1.1' }]);
  }, 120_000);

  it('refusals an address brings on itself count against it (100, then 429), never against username+address', async () => {
    const { answered, all } = await fillQueue();
    // A new address gets 3 places (each flooding address has 4 waiting, and yields to fewer)...
    const held = [login('10.77.0.1'), login('10.77.0.1'), login('10.77.0.1')];
    expect(await within(30_000, () => answered.length === 3)).toBe(true);
    // ...then it has as many waiting as the most and asked for as much: refused at once (503), its
    // own doing, so each refusal counts against the address; alice's 10 per username+address stay
    // untouched by them: 3 + 97 = 100 for the address (its limit), all on alice.
    for (let i = 0; i < 97; i++)
      expect(await login('10.77.0.1')).toEqual({ status: 503, code: 'password_checks_busy' });
    expect(await login('10.77.0.1', 'wrong', 'bob')).toEqual({ status: 429, code: 'too_many_attempts' });
    hasher.open();
    expect(await Promise.all(held)).toEqual(Array(3).fill({ status: 401, code: 'invalid_credentials' }));
    await all();
    // The counts outlive the flood: even the right password from this address waits out the window.
    expect(await login('10.77.0.1', 'correct horse')).toEqual({ status: 429, code: 'too_many_attempts' });
    expect(await login('10.77.0.2', 'correct horse')).toEqual({ status: 201, code: undefined });
    clock.advance(15 * 60_000);
    expect(await login('10.77.0.1', 'correct horse')).toEqual({ status: 201, code: undefined });
    expect(tokens().map((row) => row.ip)).toEqual(['10.77.0.2', '10.77.0.1']);
  }, 120_000);

  it("the review's case: one wrong login from each of 260 IPv6 /64s of one /56, a newcomer is served", async () => {
    const { answered, all } = await fillQueue((i) => `2001:db8:0:${i.toString(16)}::1`);
    const real = login('10.1.1.1', 'correct horse');
    expect(await within(30_000, () => answered.length > 0)).toBe(true);
    expect(answered).toEqual([{ status: 503, code: 'password_checks_busy' }]);
    hasher.open();
    expect(await real).toEqual({ status: 201, code: undefined });
    const answers = await all();
    expect(answers.filter((a) => a.status === 401)).toHaveLength(answers.length - 1);
    expect(tokens()).toEqual([{ user_id: 1, ip: '10.1.1.1' }]);
  }, 120_000);

  it('refused by a crowd of 260 networks asking once each, a person is not locked out by retrying', async () => {
    const { answered, all } = await fillQueue((i) => `10.66.${Math.floor(i / 250)}.${i % 250}`);
    // Every place is held by a network that asked for as little as the person: 503, not the person's doing.
    for (let i = 0; i < 11; i++)
      expect(await login('10.1.1.1', 'correct horse')).toEqual({ status: 503, code: 'password_checks_busy' });
    expect(answered).toEqual([]);
    hasher.open();
    await all();
    // 11 refusals, past alice's 10 per username+address had they counted: the right password signs in.
    expect(await login('10.1.1.1', 'correct horse')).toEqual({ status: 201, code: undefined });
    expect(tokens()).toEqual([{ user_id: 1, ip: '10.1.1.1' }]);
  }, 120_000);
});
