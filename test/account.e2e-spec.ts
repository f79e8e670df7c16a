import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { TokenService } from 'nestjs-multi-token-auth';
import type { Browser, Page } from 'playwright-core';
import { openAccountPage, type AccountPage } from './support/account-page.driver';
import { axeViolations } from './support/axe.check';
import { launchChromium } from './support/chromium.browser';
import { startDemo, type Demo } from './support/demo.harness';

const PASSWORD = 'correct horse';
const MINUTE = 60_000;
/**
 * Where the account page's screenshots (shown in apps/demo/README.md) live; written only with
 * UPDATE_SCREENSHOTS=1, so CI leaves the tree clean.
 */
const DOCS = join(__dirname, '..', 'docs');
/** A device name that would run script if the page ever rendered names as markup. */
const MARKUP_NAME = '<img src=x onerror=alert(1)>Tablet';
const PHONE_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) Mobile/15E148 DemoApp/2.1';

jest.setTimeout(30_000);

/** The demo's /account page, driven in headless Chromium against the demo on a real SQLite file. */
describe('account page (the demo, in Chromium)', () => {
  let demo: Demo;
  let browser: Browser;
  let ui: AccountPage;
  let page: Page;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
    await demo.app.listen(0, '127.0.0.1');
    ui = await openAccountPage(browser, await demo.app.getUrl(), PASSWORD);
    page = ui.page;
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });
  // Every test starts logged out and loads the page; none may log a script error or a CSP refusal.
  beforeEach(() => ui.reset());
  afterEach(() => expect(ui.errors).toEqual([]));

  /** The page's own session, as stored: the only `browser` row of the user. */
  const browserRow = (userId: number) =>
    demo.tokens(userId).filter((row) => row.client_id === demo.clientId('browser'));

  it('serves the page and its assets without a token, with a strict CSP, nosniff, no referrer and no caching', async () => {
    const assets: [string, string][] = [
      ['/account', 'text/html; charset=utf-8'],
      ['/account/account.css', 'text/css; charset=utf-8'],
      ['/account/favicon.svg', 'image/svg+xml; charset=utf-8'],
      ...['main', 'api', 'dom', 'sessions', 'keys'].map((name): [string, string] => [
        `/account/js/${name}.js`,
        'text/javascript; charset=utf-8',
      ]),
    ];
    for (const [path, type] of assets) {
      const res = await demo.http().get(path).expect(200);
      expect(res.headers).toMatchObject({
        'content-type': type,
        'content-security-policy':
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'",
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
      });
    }
    await demo.http().get('/account/js/constructor').expect(404);
  });

  it('logged out: passes axe; a wrong password shows the message in the alert region; Tab and Enter log in', async () => {
    const alice = await demo.register('alice');
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password', { exact: true }).fill('wrong horse');
    await page.getByRole('button', { name: 'Log in' }).click();
    await ui.alert('Invalid username or password.');
    expect(await ui.activeId()).toBe('login-password');
    expect(demo.tokens(alice.id)).toEqual([]);

    // Keyboard only, from the top of a fresh page: Tab through the form, Enter on the button.
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const typed: [string, string][] = [
      ['login-username', 'alice'],
      ['login-password', PASSWORD],
      ['login-name', 'Work laptop'],
    ];
    for (const [id, text] of typed) {
      await page.keyboard.press('Tab');
      expect(await ui.activeId()).toBe(id);
      await page.keyboard.type(text);
    }
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Log in');
    await page.keyboard.press('Enter');
    await ui.status('Logged in as alice.');
    expect(await ui.activeId()).toBe('sessions-title');
    expect(await page.locator('#username').textContent()).toBe('alice');
    expect(browserRow(alice.id).map((row) => row.name)).toEqual(['Work laptop']);
  });

  it('lists the sessions, "This device" first, names as text; ends the others one by one: gone from the page and the database', async () => {
    const bob = await demo.register('bob');
    const laptopSince = demo.clock.now().toISOString();
    await ui.logIn('bob', 'Work laptop');
    demo.clock.advance(5 * MINUTE);
    const phone = await demo
      .http()
      .post('/auth/login')
      .set('User-Agent', PHONE_AGENT)
      .send({ username: 'bob', password: PASSWORD, client: 'mobile', name: 'Phone' })
      .expect(201);

    // A name is text, never markup (and the page's Trusted Types policy would refuse markup anyway).
    const tablet = await demo.login('bob', 'web', { name: MARKUP_NAME });
    await page.reload();
    await ui.card('sessions', 'Phone').waitFor();
    expect(await ui.sessionCards().count()).toBe(3);
    await ui.card('sessions', MARKUP_NAME).waitFor();
    expect(await page.locator('#sessions img').count()).toBe(0);
    await page.getByRole('button', { name: `End session “${MARKUP_NAME}”` }).click();
    await ui.status(`Ended the session “${MARKUP_NAME}”.`);
    expect(demo.tokens(bob.id).some((row) => row.id === tablet.id)).toBe(false);
    expect(await ui.sessionCards().count()).toBe(2);
    const laptop = ui.card('sessions', 'Work laptop');
    expect(await laptop.getByText('This device').count()).toBe(1);
    expect(await ui.sessionCards().first().getByText('This device').count()).toBe(1);
    expect(await ui.card('sessions', 'Phone').getByText('This device').count()).toBe(0);
    expect(await laptop.getByRole('button').count()).toBe(0);
    expect(await laptop.locator('time').first().getAttribute('datetime')).toBe(laptopSince);
    const phoneDetails = await ui.card('sessions', 'Phone').locator('dd').allTextContents();
    expect(phoneDetails).toEqual(expect.arrayContaining(['mobile', PHONE_AGENT]));
    expect(await ui.card('sessions', 'Phone').locator('time').first().getAttribute('datetime')).toBe(
      demo.clock.now().toISOString(),
    );

    await page.getByRole('button', { name: 'End session “Phone”' }).click();
    await ui.status('Ended the session “Phone”.');
    expect(await ui.sessionCards().count()).toBe(1);
    expect(await ui.activeId()).toBe('sessions-title');
    expect(demo.tokens(bob.id).map((row) => row.id)).toEqual(browserRow(bob.id).map((row) => row.id));
    expect(demo.tokens(bob.id).some((row) => row.id === phone.body.id)).toBe(false);
    await demo.http().get('/me').set(demo.auth(phone.body.token)).expect(401);
  });

  it('creates an API key shown exactly once, which authenticates; revoking it deletes its row and refuses it', async () => {
    const carol = await demo.register('carol');
    await ui.logIn('carol');
    await page.getByLabel('Key name').fill('reporting');
    await page.getByLabel('Expires after').fill('30');
    await page.getByLabel('Your password').fill('wrong horse');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await ui.alert('The password is incorrect.');
    expect(demo.tokens(carol.id)).toHaveLength(1);

    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create API key' }).click();
    await ui.status('Created the API key “reporting”.');
    const field = page.getByLabel('API key', { exact: true });
    const key = await field.inputValue();
    expect(await ui.activeId()).toBe('new-key-value');
    const me = await demo.http().get('/me').set(demo.auth(key)).expect(200);
    expect(me.body).toMatchObject({ username: 'carol', client: 'api' });
    const row = demo.tokens(carol.id).find((token) => token.id === me.body.tokenId);
    expect(row).toMatchObject({ name: 'reporting', digest: createHash('sha256').update(key).digest('hex') });
    const expiresAt = new Date(demo.clock.now().getTime() + 30 * 24 * 60 * MINUTE).toISOString();
    expect(new Date(row?.expires_at ?? 0).toISOString()).toBe(expiresAt);
    await ui.card('keys', 'reporting').waitFor();
    expect(await ui.card('keys', 'reporting').locator('time').last().getAttribute('datetime')).toBe(expiresAt);
    // A key is not a session: it is listed once, under API keys.
    expect(await ui.sessionCards().count()).toBe(1);

    // Shown once: in its field only, never in storage or a readable cookie; copied by the button.
    expect((await ui.text()).split(key)).toHaveLength(2);
    expect(await page.evaluate<number>('localStorage.length + sessionStorage.length')).toBe(0);
    expect(await page.evaluate<string>('document.cookie')).toMatch(/^__Host-mta_csrf=[\w-]+$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await ui.status('Copied the key.');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
    await page.getByRole('button', { name: 'Done' }).click();
    await ui.status('The key is hidden and cannot be shown again.');
    expect(await ui.text()).not.toContain(key);
    await page.reload();
    await ui.card('keys', 'reporting').waitFor();
    expect(await ui.text()).not.toContain(key);
    expect(await page.content()).not.toContain(key);

    // Paused from the page: refused with key_disabled, shown as paused; resumed, it works again.
    const enabledOf = () =>
      (demo.db.prepare('SELECT enabled FROM auth_tokens WHERE id = ?').get(me.body.tokenId) as { enabled: number })
        .enabled;
    await page.getByRole('button', { name: 'Pause key “reporting”' }).click();
    await ui.status('Paused the API key “reporting”.');
    expect(enabledOf()).toBe(0);
    expect((await demo.http().get('/me').set(demo.auth(key)).expect(401)).body).toMatchObject({ code: 'key_disabled' });
    expect(await ui.card('keys', 'reporting').textContent()).toContain('Paused: every request with it is refused');
    await page.getByRole('button', { name: 'Resume key “reporting”' }).click();
    await ui.status('Resumed the API key “reporting”.');
    expect(enabledOf()).toBe(1);
    await demo.http().get('/me').set(demo.auth(key)).expect(200);
    expect(await ui.card('keys', 'reporting').textContent()).toContain('Active');

    // Rolled from the page with an hour's overlap: the new key shown once, the old one still
    // working and marked replaced; revoking the replaced one leaves the new key.
    await page.getByRole('button', { name: 'Roll key “reporting”' }).click();
    expect(await ui.activeId()).toBe('roll-overlap');
    expect(await axeViolations(page)).toEqual([]); // the roll form open
    await page.getByLabel('The old key keeps working for').selectOption('3600');
    await page.getByLabel('Password to confirm the roll').fill(PASSWORD);
    await page.getByRole('button', { name: 'Roll key', exact: true }).click();
    await ui.status('Rolled the API key “reporting”.');
    const rolledKey = await page.getByLabel('API key', { exact: true }).inputValue();
    expect(rolledKey).not.toBe(key);
    const rolledMe = await demo.http().get('/me').set(demo.auth(rolledKey)).expect(200);
    await demo.http().get('/me').set(demo.auth(key)).expect(200);
    const stored = demo.db
      .prepare('SELECT name, replaced_by, expires_at FROM auth_tokens WHERE id = ?')
      .get(me.body.tokenId) as { name: string | null; replaced_by: string | null; expires_at: string };
    expect(stored).toMatchObject({ name: null, replaced_by: rolledMe.body.tokenId });
    expect(new Date(`${stored.expires_at.replace(' ', 'T')}Z`).getTime()).toBe(
      demo.clock.now().getTime() + 60 * MINUTE,
    );
    await page.getByRole('button', { name: 'Done' }).click();
    await ui.card('keys', 'Replaced key').waitFor();
    expect(await ui.card('keys', 'Replaced key').textContent()).toContain('Replaced: works until it expires');
    await page.getByRole('button', { name: 'Revoke key “Replaced key”' }).click();
    await ui.status('Revoked the API key “Replaced key”.');
    await demo.http().get('/me').set(demo.auth(key)).expect(401);

    await page.getByRole('button', { name: 'Revoke key “reporting”' }).click();
    await ui.status('Revoked the API key “reporting”.');
    expect(await ui.keyCards().count()).toBe(0);
    expect(await page.getByText('No API keys yet.').isVisible()).toBe(true);
    expect(demo.tokens(carol.id).map((token) => token.id)).toEqual(browserRow(carol.id).map((token) => token.id));
    await demo.http().get('/me').set(demo.auth(rolledKey)).expect(401);
  });

  it('lists more than a page of sessions, ends every other one (keys too) after confirming, then logs out: row deleted, cookies cleared', async () => {
    const dave = await demo.register('dave');
    await ui.logIn('dave');
    const web = await demo.login('dave', 'web');
    await demo.apiKey(web.token, 'nightly');
    // More than a page (50) of tokens: the rest come from the Link header's next page.
    const tokens = demo.app.get(TokenService);
    for (let i = 0; i < 50; i++) await tokens.issue(dave.id, { client: 'cli' });
    await page.reload();
    await ui.card('keys', 'nightly').waitFor();
    expect(await ui.sessionCards().count()).toBe(52);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'End all other sessions' }).click();
    await ui.status('Ended every other session.');
    expect(await ui.sessionCards().count()).toBe(1);
    expect(await ui.keyCards().count()).toBe(0);
    expect(await page.getByRole('button', { name: 'End all other sessions' }).isVisible()).toBe(false);
    expect(demo.tokens(dave.id).map((row) => row.id)).toEqual(browserRow(dave.id).map((row) => row.id));

    await page.getByRole('button', { name: 'Log out' }).click();
    await ui.status('You are logged out.');
    expect(await ui.activeId()).toBe('login-title');
    expect(demo.tokens(dave.id)).toEqual([]);
    expect(await ui.context.cookies()).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
  });

  it('a session that expired while the page was open sends it back to the login form with a message', async () => {
    await demo.register('erin');
    await ui.logIn('erin');
    // The browser client ends a session after 30 minutes without use.
    demo.clock.advance(31 * MINUTE);
    await page.getByRole('button', { name: 'Log out' }).click();
    await ui.alert('Your session has ended. Please log in again.');
    expect(await page.getByRole('heading', { name: 'Log in' }).isVisible()).toBe(true);
    expect(await page.locator('#account-view').isHidden()).toBe(true);
  });

  it('logged in: passes axe, and fits 375 px without scrolling sideways (screenshots with UPDATE_SCREENSHOTS=1)', async () => {
    const frank = await demo.register('frank');
    await ui.logIn('frank', 'Work laptop');
    demo.clock.advance(3 * MINUTE);
    await demo
      .http()
      .post('/auth/login')
      .set('User-Agent', PHONE_AGENT)
      .send({ username: 'frank', password: PASSWORD, client: 'mobile', name: 'Phone' })
      .expect(201);
    await page.reload();
    await ui.card('sessions', 'Phone').waitFor();
    await page.getByLabel('Key name').fill('reporting');
    await page.getByLabel('Expires after').fill('90');
    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create API key' }).click();
    await ui.card('keys', 'reporting').waitFor();
    expect(demo.tokens(frank.id)).toHaveLength(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.mouse.move(0, 0);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await page.screenshot({ path: join(DOCS, 'account-desktop.png'), fullPage: true });
    }

    await page.setViewportSize({ width: 375, height: 812 });
    const [scrollWidth, innerWidth] = await page.evaluate<number[]>(
      '[document.documentElement.scrollWidth, window.innerWidth]',
    );
    expect(innerWidth).toBe(375);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await page.screenshot({ path: join(DOCS, 'account-phone.png'), fullPage: true });
    }
  });
});
