import { createServer } from 'node:net';

/** A port that was free on 127.0.0.1 a moment ago (for the throwaway servers the specs start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
