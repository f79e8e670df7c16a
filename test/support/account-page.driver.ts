import type { Browser, Page } from 'playwright-core';

/**
 * A browser page for the account spec: one context for the whole file (a new one costs more than
 * most tests), with what the spec reads and does on /account, by role and label as a user finds
 * them, and every script error or CSP / Trusted Types refusal the page logs.
 */
export async function openAccountPage(browser: Browser, baseURL: string, password: string) {
  const context = await browser.newContext({ baseURL });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page: Page = await context.newPage();
  // Each step takes milliseconds; a wait that fails should say so before Jest's own timeout.
  page.setDefaultTimeout(5_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A 4xx answer is logged by Chromium as "Failed to load resource"; those are expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });

  /** Waits for a message in a live region; a failure says what both regions hold instead. */
  async function announced(role: 'status' | 'alert', text: string): Promise<void> {
    try {
      await page.getByRole(role).filter({ hasText: text }).waitFor();
    } catch (error) {
      const [said, alarmed] = await Promise.all([
        page.locator('#status').textContent(),
        page.locator('#alert').textContent(),
      ]);
      throw new Error(`${String(error)}\nstatus: "${said}"; alert: "${alarmed}"`);
    }
  }

  return {
    context,
    page,
    /** What went wrong in the page since the last reset(). */
    errors,
    /** Before each test: no cookies (logged out), desktop width, no errors recorded. */
    async reset(): Promise<void> {
      errors.length = 0;
      await context.clearCookies();
      await page.setViewportSize({ width: 1280, height: 900 });
    },
    sessionCards: () => page.locator('#sessions > li'),
    keyCards: () => page.locator('#keys > li'),
    /** The card of a session or key, by its heading. */
    card: (list: 'sessions' | 'keys', heading: string) =>
      page.locator(`#${list} > li`).filter({ has: page.getByRole('heading', { name: heading }) }),
    status: (text: string) => announced('status', text),
    alert: (text: string) => announced('alert', text),
    activeId: () => page.evaluate<string>('document.activeElement.id'),
    /** Everything the page shows, typed-in values included: where a key must not be once it is gone. */
    text: () =>
      page.evaluate<string>(
        "document.body.innerText + '\\n' + [...document.querySelectorAll('input')].map((i) => i.value).join('\\n')",
      ),
    /** Logs in through the page's form, and waits for the signed-in view. */
    async logIn(username: string, device?: string): Promise<void> {
      await page.goto('/account');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password', { exact: true }).fill(password);
      if (device) await page.getByLabel('Name this device').fill(device);
      await page.getByRole('button', { name: 'Log in' }).click();
      await announced('status', `Logged in as ${username}.`);
    },
  };
}

export type AccountPage = Awaited<ReturnType<typeof openAccountPage>>;
