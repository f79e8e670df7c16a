import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import { loadDemoConfig } from '../../apps/demo/src/config/demo.config';
import { createDemoApp } from '../../apps/demo/src/demo.app';

/** What this process tells the parent: its port once listening, then every line the app logs. */
export type RedisDemoReply = { port: number } | { log: string };

const send = (message: RedisDemoReply) => process.send?.(message);

/** Every log line to the parent (level, message, context), so the parent sees the log apart from stderr. */
const logger: LoggerService = Object.fromEntries(
  (['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const).map((level) => [
    level,
    (...parts: unknown[]) => send({ log: `${level} ${parts.map(String).join(' ')}` }),
  ]),
) as unknown as LoggerService;

/**
 * The demo in a process of its own, on the parent's `DATABASE_URL` and `REDIS_URL`: what ioredis
 * prints goes to this process's real stderr (inside Jest it would not, see the spec), where the
 * parent reads it.
 */
async function main(): Promise<void> {
  const config = loadDemoConfig({ DATABASE_URL: process.env.DATABASE_URL ?? '', REDIS_URL: process.env.REDIS_URL });
  const app = await createDemoApp(config, { logger, hasher: new ScryptPasswordHasher(2 ** 10) });
  await app.listen(0, '127.0.0.1');
  process.on('message', () => void app.close().then(() => process.exit(0)));
  send({ port: ((app.getHttpServer() as Server).address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
