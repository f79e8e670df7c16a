import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';

/** The HTTP platforms the guard specs run on, by the name their tables print. */
export type HttpPlatform = 'Express' | 'Fastify';
export const HTTP_PLATFORMS: HttpPlatform[] = ['Express', 'Fastify'];

/**
 * The Nest app of a compiled testing module on `platform`, initialised and ready for supertest:
 * on Fastify that also waits for the instance's `ready()`, when its plugins and routes are loaded.
 */
export async function createPlatformApp(
  module: TestingModule,
  platform: HttpPlatform,
  options: NestApplicationOptions = {},
): Promise<INestApplication> {
  if (platform === 'Fastify') {
    const fastify = module.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), options);
    await fastify.init();
    await fastify.getHttpAdapter().getInstance().ready();
    return fastify;
  }
  const app = module.createNestApplication(options);
  await app.init();
  return app;
}
