import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ManualClock, ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import { loadDemoConfig } from '../../apps/demo/src/config/demo.config';
import { createDemoApp } from '../../apps/demo/src/demo.app';
import { CapturingLogger } from './capturing.logger';

/** What the parent sends: set the instance's clock (ms since the epoch), or stop it. */
export type InstanceCommand = { clock: number } | { close: true };
/** What this process answers: its port once listening, then an acknowledgement per clock change. */
export type InstanceReply = { port: number } | { clock: number };

/**
 * One demo instance in a process of its own (its `TZ` is the parent's choice), on the parent's
 * `DATABASE_URL`, with a manual clock the parent moves over IPC: what a second server in another
 * time zone is to the first.
 */
async function main(): Promise<void> {
  const clock = new ManualClock(new Date(Number(process.env.CLOCK_START)));
  const config = loadDemoConfig({ DATABASE_URL: process.env.DATABASE_URL ?? '' });
  const logger = new CapturingLogger();
  const app = await createDemoApp(config, { clock, logger, hasher: new ScryptPasswordHasher(2 ** 10) });
  await app.listen(0, '127.0.0.1');
  const reply = (message: InstanceReply) => process.send?.(message);
  process.on('message', (command: InstanceCommand) => {
    if ('clock' in command) {
      clock.set(new Date(command.clock));
      reply({ clock: command.clock });
    } else {
      void app.close().then(() => process.exit(0));
    }
  });
  reply({ port: ((app.getHttpServer() as Server).address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
