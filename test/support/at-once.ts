import type { INestApplication } from '@nestjs/common';

/**
 * The base URL of `app`, listening on a port of its own: what a test needs to send requests that
 * really race, over their own connections (supertest starts a server per request, which serialises them).
 */
export async function listening(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

/** `count` requests sent at once, the `i`-th to `urlOf(i)`; their statuses in order, and the answers. */
export async function fetchAtOnce(
  count: number,
  urlOf: (i: number) => string,
  init: RequestInit = {},
): Promise<{ statuses: number[]; answers: Response[] }> {
  const answers = await Promise.all(Array.from({ length: count }, (_, i) => fetch(urlOf(i), init)));
  return { statuses: answers.map((res) => res.status), answers };
}
