import type { INestApplication } from '@nestjs/common';
import { ScryptPasswordHasher, type Clock } from 'nestjs-multi-token-auth';
import type { DemoConfig } from '../../apps/demo/src/config/demo.config';
import { createDemoApp } from '../../apps/demo/src/demo.app';
import { CapturingLogger } from './capturing.logger';

/** A client that rotates its tokens on refresh, with a 5 s grace: for the multi-instance specs. */
export const ROTATING_CLIENT = { name: 'rotating', tokenTtl: 3600, rotateOnRefresh: true, rotationGrace: 5 };

/**
 * One demo instance in this process, initialised (not listening), on `config`'s database: the
 * multi-instance specs start two or more on one PostgreSQL, sharing `clock`, with a cheap hasher
 * and the logs captured.
 */
export async function startDemoApp(config: DemoConfig, clock: Clock): Promise<INestApplication> {
  const app = await createDemoApp(config, {
    logger: new CapturingLogger(),
    clock,
    hasher: new ScryptPasswordHasher(2 ** 10),
  });
  await app.init();
  return app;
}
