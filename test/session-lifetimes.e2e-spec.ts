import { LastUsedTracker } from '../libs/multi-token-auth/src/services/tokens/last-used.tracker';
import type { TokenStore } from 'nestjs-multi-token-auth';
import { TokenStore as TokenStoreToken } from 'nestjs-multi-token-auth';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { startDemo, type Demo } from './support/demo.harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CLIENTS = [
  // A browser session: 30 minutes without use ends it, and 12 hours end it whatever the use.
  { name: 'web', idleTimeout: 1800, absoluteLifetime: 43_200 },
  // A phone: 30 days per login or refresh, never past 90 days after sign-in.
  { name: 'mobile', tokenTtl: 30 * 86_400, absoluteLifetime: 90 * 86_400 },
  { name: 'api', tokenTtl: null },
  // The demo's /not-cli route names it (@DisallowClients('cli')): the start-up route check wants it to exist.
  { name: 'cli', tokenTtl: 3600 },
];

/** Per client: sliding expiry (`idleTimeout`) and an absolute cap (`absoluteLifetime`), with a manual clock. */
describe('session lifetimes (idleTimeout, absoluteLifetime)', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo({ AUTH_CLIENTS: JSON.stringify(CLIENTS) });
    await demo.register('alice');
  });
  afterEach(() => demo.close());

  const me = (token: string) => demo.http().get('/me').set(demo.auth(token));
  const storedExpiry = (id: string) => demo.tokens().find((t) => t.id === id)?.expires_at;
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

  it('a token of a client with an idle timeout expires after 30 minutes without use', async () => {
    const { token, expiresAt } = await demo.login('alice', 'web');
    expect(new Date(expiresAt as string).getTime()).toBe(demo.clock.now().getTime() + 30 * MINUTE);
    demo.clock.advance(30 * MINUTE);
    const res = await me(token).expect(401);
    expect(res.body).toMatchObject({ code: 'token_expired' });
  });

  it('each use pushes the expiry back (one write per interval), up to the absolute cap, then 401', async () => {
    const { token, id } = await demo.login('alice', 'web');
    const signedIn = demo.clock.now().getTime();
    for (let used = 20; used < 12 * 60; used += 20) {
      demo.clock.advance(20 * MINUTE);
      await me(token).expect(200);
      await demo.app.get(LastUsedTracker).flush(); // now, rather than at the end of the flush interval
      const now = demo.clock.now().getTime();
      const expected = iso(Math.min(now + 30 * MINUTE, signedIn + 12 * HOUR));
      expect(await within(2000, () => storedExpiry(id) === expected)).toBe(true);
    }
    demo.clock.advance(20 * MINUTE); // 12 h after sign-in, 20 minutes after the last use
    expect((await me(token).expect(401)).body).toMatchObject({ code: 'token_expired' });
  });

  it('100 requests within one interval slide the expiry with a single write', async () => {
    const { token } = await demo.login('alice', 'web');
    const touches = jest.spyOn(demo.app.get<TokenStore>(TokenStoreToken), 'touchMany');
    demo.clock.advance(5 * MINUTE);
    for (let i = 0; i < 100; i++) await me(token).expect(200);
    await demo.app.get(LastUsedTracker).flush();
    expect(touches).toHaveBeenCalledTimes(1);
  });

  it('refresh never goes past the absolute lifetime', async () => {
    const { token, id } = await demo.login('alice', 'mobile');
    const signedIn = demo.clock.now().getTime();
    const refresh = () => demo.http().post('/auth/refresh').set(demo.auth(token)).expect(200);
    for (const day of [25, 50]) {
      demo.clock.advance(25 * DAY);
      expect(new Date((await refresh()).body.expiresAt as string).getTime()).toBe(signedIn + (day + 30) * DAY);
    }
    demo.clock.advance(25 * DAY); // day 75: now + 30 days would be day 105
    const refreshed = await refresh();
    expect(new Date(refreshed.body.expiresAt as string).getTime()).toBe(signedIn + 90 * DAY);
    expect(storedExpiry(id)).toBe(iso(signedIn + 90 * DAY));
    demo.clock.advance(15 * DAY - 1); // the last millisecond of day 90
    await me(token).expect(200);
    demo.clock.advance(1);
    await me(token).expect(401);
    expect((await demo.http().post('/auth/refresh').set(demo.auth(token))).status).toBe(401);
  });

  it('a refresh of a sliding session moves it to now + the idle timeout, within the cap', async () => {
    const { token } = await demo.login('alice', 'web');
    for (let used = 20; used <= 11 * 60 + 40; used += 20) {
      demo.clock.advance(20 * MINUTE);
      await me(token).expect(200);
      await demo.app.get(LastUsedTracker).flush(); // each use's write before the clock moves on
    }
    demo.clock.advance(10 * MINUTE); // 11 h 50 min after sign-in
    const refreshed = await demo.http().post('/auth/refresh').set(demo.auth(token)).expect(200);
    expect(new Date(refreshed.body.expiresAt as string).getTime()).toBe(demo.clock.now().getTime() + 10 * MINUTE);
  });
});
