import type { Browser, Page } from 'playwright-core';
import { TokenUsageCounter } from '../libs/multi-token-auth/src/services/tokens/token-usage.counter';
import { openAccountPage, type AccountPage } from './support/account-page.driver';
import { axeViolations } from './support/axe.check';
import { launchChromium } from './support/chromium.browser';
import { startDemo, type Demo } from './support/demo.harness';

const PASSWORD = 'correct horse';

jest.setTimeout(30_000);

/** The account page's API-key allow-list and usage, in headless Chromium, against the stored rows. */
describe('account page: a key’s addresses and usage (Chromium)', () => {
  let demo: Demo;
  let browser: Browser;
  let ui: AccountPage;
  let page: Page;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo({ TRUST_PROXY: '1' }), launchChromium()]);
    await demo.app.listen(0, '127.0.0.1');
    ui = await openAccountPage(browser, await demo.app.getUrl(), PASSWORD);
    page = ui.page;
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });
  beforeEach(() => ui.reset());
  afterEach(() => expect(ui.errors).toEqual([]));

  const allowedIps = (id: string) =>
    (demo.db.prepare('SELECT allowed_ips FROM auth_tokens WHERE id = ?').get(id) as { allowed_ips: string | null })
      .allowed_ips;

  it('edits a key’s allowed addresses: stored canonical, enforced, shown; emptied, any address again', async () => {
    const dave = await demo.register('dave');
    const key = await demo.apiKey((await demo.login('dave', 'web')).token, 'office');
    await ui.logIn('dave');
    await ui.card('keys', 'office').waitFor();
    expect(await ui.card('keys', 'office').textContent()).toContain('Any address');
    await page.getByRole('button', { name: 'Addresses key “office”' }).click();
    expect(await ui.activeId()).toBe('ips-list');
    expect(await axeViolations(page)).toEqual([]); // the form open
    await page.getByLabel('Allowed addresses').fill('203.0.113.0/24\n2001:DB8::/32');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    await ui.status('Saved the addresses of “office”.');
    expect(allowedIps(key.id)).toBe('2001:db8::/32 203.0.113.0/24');
    expect(await ui.card('keys', 'office').textContent()).toContain('2001:db8::/32, 203.0.113.0/24');
    const from = (address: string) => demo.http().get('/me').set(demo.auth(key.token)).set('X-Forwarded-For', address);
    await from('203.0.113.5').expect(200);
    await from('198.51.100.5').expect(403);
    // A bad entry is refused with the library's message, and nothing changes.
    await page.getByRole('button', { name: 'Addresses key “office”' }).click();
    await page.getByLabel('Allowed addresses').fill('example.com');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    await ui.alert(
      'allowedIps must hold IP addresses or CIDR networks (203.0.113.0/24, 2001:db8::/32), not "example.com"',
    );
    expect(allowedIps(key.id)).toBe('2001:db8::/32 203.0.113.0/24');
    await page.getByLabel('Allowed addresses').fill('');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    await ui.status('“office” may be used from any address.');
    expect(allowedIps(key.id)).toBeNull();
    await from('198.51.100.5').expect(200);
    expect(demo.tokens(dave.id).length).toBeGreaterThan(0);
  });

  it('shows a key’s last 7 days and its last address as the server counted them', async () => {
    await demo.register('erin');
    const key = await demo.apiKey((await demo.login('erin', 'web')).token, 'reports', { rateLimit: '2/m' });
    for (const status of [200, 200, 429]) {
      await demo.http().get('/me').set(demo.auth(key.token)).set('X-Forwarded-For', '192.0.2.9').expect(status);
    }
    await demo.app.get(TokenUsageCounter).flush();
    await ui.logIn('erin');
    await page.getByRole('button', { name: 'Usage key “reports”' }).click();
    await ui.status('Showing the use of “reports”.');
    const table = ui.card('keys', 'reports').locator('table');
    expect(await table.locator('caption').textContent()).toBe('Requests in the last 7 days: 3 (1 refused)');
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(7);
    expect(rows.at(-1)).toBe(`${demo.clock.now().toISOString().slice(0, 10)}31`);
    expect(await axeViolations(page)).toEqual([]); // the table shown
  });
});
