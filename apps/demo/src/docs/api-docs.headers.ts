import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Content-Security-Policy of the Swagger UI at `/docs` (and of `/docs-json`). Scripts only from
 * this origin, never inline or `eval`: swagger-ui's bundle, preset and init script are files. Calls
 * ("Try it out", the document) only to this origin; no plugin, no `<base>`, no framing.
 * `style-src 'unsafe-inline'`: the page @nestjs/swagger serves has two inline `<style>` blocks and
 * `style=` attributes in its SVG sprite, and swagger-ui's React components write `style=` too;
 * without it the UI renders unstyled. Styles cannot run code, so the XSS defence (`script-src`)
 * is whole. `img-src data:`: swagger-ui's icons are data: URIs in its CSS.
 */
export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The headers every `/docs` answer carries: the CSP above, no framing, no MIME sniffing, no referrer. */
export const API_DOCS_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': API_DOCS_CSP,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Middleware that sets `API_DOCS_HEADERS` before SwaggerModule answers (its routes take no
 * headers of their own).
 *
 * @example
 * app.use(['/docs', '/docs-json'], apiDocsHeaders);
 * SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
 */
export function apiDocsHeaders(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  for (const [name, value] of Object.entries(API_DOCS_HEADERS)) res.setHeader(name, value);
  next();
}
