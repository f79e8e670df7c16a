import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConsoleLogger } from '@nestjs/common';
import { ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import { loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { createDemoApp } from '../apps/demo/src/demo.app';

/**
 * One instance of the revocation bench: the demo app on the driver's `DATABASE_URL` and, when
 * given, `REDIS_URL`, in a process of its own; prints `{"port":…}` once listening, stops on SIGTERM (the demo's shutdown hooks).
 * Logins hash at a low scrypt cost (the bench measures revocations, not password checks) and
 * requests are not rate-limited (the driver asks `/me` until it is refused).
 */
async function main(): Promise<void> {
  const config = loadDemoConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL || undefined,
    DEFAULT_THROTTLE_RATE: '',
  });
  const app = await createDemoApp(config, {
    logger: new ConsoleLogger('bench', { logLevels: ['error'] }),
    hasher: new ScryptPasswordHasher(2 ** 10),
  });
  await app.listen(0, '127.0.0.1');
  process.stdout.write(
    `${JSON.stringify({ port: ((app.getHttpServer() as Server).address() as AddressInfo).port })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
