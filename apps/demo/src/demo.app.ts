import { ValidationPipe, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import type { DemoConfig } from './config/demo.config';
import type { Clock, ScryptPasswordHasher } from 'nestjs-multi-token-auth';

/** Builds the demo app (used by main.ts and by the e2e tests, so both run the same wiring). */
export async function createDemoApp(
  config: DemoConfig,
  deps: { logger?: LoggerService; hasher?: ScryptPasswordHasher; clock?: Clock } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, deps), {
    logger: deps.logger,
    // Start-up errors (a bad client setting, say) reach the caller instead of exiting the process.
    abortOnError: false,
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  app.enableShutdownHooks();
  return app;
}
