import { applyDecorators, Header } from '@nestjs/common';

/**
 * The account page's Content-Security-Policy: scripts, styles, images and calls from this origin
 * only, and nothing inline, so an injected `<script>` or `style=` does not run even if escaping
 * ever failed. `form-action 'none'`: the forms are sent by the script; should it fail to load, a
 * native submission (which would put the password in a URL) is refused by the browser.
 * `require-trusted-types-for 'script'`: assigning a string to `innerHTML` and friends throws, so
 * the page can only build its DOM with `textContent` and DOM APIs.
 */
export const ACCOUNT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

/**
 * The headers of the account page and of each of its assets: its type, the CSP above, no MIME
 * sniffing, no referrer, no framing, and nothing cached (the page shows a user's sessions).
 *
 * @example
 * @Get() @AccountHeaders('text/html; charset=utf-8') page() { return ACCOUNT_PAGE; }
 */
export function AccountHeaders(contentType: string): MethodDecorator {
  return applyDecorators(
    Header('Content-Type', contentType),
    Header('Content-Security-Policy', ACCOUNT_CSP),
    Header('X-Content-Type-Options', 'nosniff'),
    Header('Referrer-Policy', 'no-referrer'),
    Header('X-Frame-Options', 'DENY'),
    Header('Cache-Control', 'no-store'),
  );
}
