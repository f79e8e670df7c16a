import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { API_DOCS_CSP } from '../apps/demo/src/docs/api-docs.headers';
import { launchChromium } from './support/chromium.browser';
import { startDemo, type Demo } from './support/demo.harness';

jest.setTimeout(30_000);

/** The demo's response headers: none names the framework, and /docs is framed by no one and runs no foreign script. */
describe('demo response headers', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(() => demo.close());

  it('no X-Powered-By on any answer: a page, the API, an error, a 404', async () => {
    const answers = [
      await demo.http().get('/health').expect(200),
      await demo.http().get('/docs').expect(200),
      await demo.http().post('/auth/login').send({}).expect(400),
      await demo.http().get('/me').expect(401),
      await demo.http().get('/no-such-route').expect(404),
    ];
    for (const res of answers) expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it.each(['/docs', '/docs/', '/docs/swagger-ui-init.js', '/docs/swagger-ui-bundle.js', '/docs-json'])(
    '%s: CSP with frame-ancestors none, X-Frame-Options DENY, nosniff, no referrer',
    async (path) => {
      const res = await demo.http().get(path).expect(200);
      expect(res.headers).toMatchObject({
        'content-security-policy': API_DOCS_CSP,
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      expect(API_DOCS_CSP).toContain("frame-ancestors 'none'");
      expect(API_DOCS_CSP).toMatch(/script-src 'self'(;|$)/);
    },
  );

  it('the CSP is only on /docs: the API and the account page keep their own headers', async () => {
    const res = await demo.http().get('/health').expect(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
    const account = await demo.http().get('/account').expect(200);
    expect(account.headers['content-security-policy']).not.toBe(API_DOCS_CSP);
  });
});

describe('Swagger UI under its CSP, in Chromium', () => {
  let demo: Demo;
  let browser: Browser;
  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
    await demo.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('renders every operation and runs "Try it out", with no CSP violation and no script error', async () => {
    const context = await browser.newContext({ baseURL: await demo.app.getUrl() });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    // Every refusal, including ones Chromium does not log (a blocked style attribute in a report-only pass).
    await page.addInitScript({
      content: `window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));`,
    });

    const answer = await page.goto('/docs');
    expect(answer?.headers()['content-security-policy']).toBe(API_DOCS_CSP);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'multi-token-auth demo' }).waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    // Styled: swagger-ui.css (a file) and the page's inline <style> both applied.
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(250, 250, 250)');
    expect(
      await page.evaluate<string>("getComputedStyle(document.querySelector('.opblock-summary-method')).color"),
    ).toBe('rgb(255, 255, 255)');

    // "Try it out" on GET /health: a call to this origin (connect-src 'self'), its answer shown.
    const health = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/health"]') });
    await health.locator('.opblock-summary').click();
    await health.getByRole('button', { name: 'Try it out' }).click();
    await health.getByRole('button', { name: 'Execute' }).click();
    await health.locator('.live-responses-table .response-col_status').filter({ hasText: '200' }).waitFor();

    const violations = await page.evaluate<string[]>('window.cspViolations');
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('cannot be framed by another page (frame-ancestors and X-Frame-Options)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const url = `${await demo.app.getUrl()}/docs`;
    const refused = new Promise<string>((resolve) =>
      page.on('console', (message) => {
        if (/frame-ancestors|X-Frame-Options/.test(message.text())) resolve(message.text());
      }),
    );
    await page.setContent(`<iframe src="${url}"></iframe>`);
    let timer: NodeJS.Timeout | undefined;
    const noRefusal = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('no refusal logged'), 5_000)));
    const logged = await Promise.race([refused, noRefusal]);
    clearTimeout(timer);
    expect(logged).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(await frame?.locator('.swagger-ui').count()).toBe(0);
    await context.close();
  });
});

/** Fastify sends no X-Powered-By of its own: nothing to turn off there (checked, not assumed). */
describe('Fastify', () => {
  @Controller()
  class PingController {
    @Get('ping')
    ping() {
      return { ok: true };
    }
  }
  @Module({ controllers: [PingController] })
  class PingModule {}

  it('answers without X-Powered-By, on a route and on a 404', async () => {
    const app = await NestFactory.create<NestFastifyApplication>(PingModule, new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      for (const [path, status] of [
        ['/ping', 200],
        ['/nothing', 404],
      ] as const) {
        const res = await request(app.getHttpServer()).get(path).expect(status);
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    } finally {
      await app.close();
    }
  });
});
