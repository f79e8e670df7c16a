import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Clock } from 'nestjs-multi-token-auth';
import type { OrdersServiceConfig } from './orders-service.config';
import { OrdersServiceModule } from './orders-service.module';

/** Builds the orders service (used by main.ts and by the e2e spec, so both run the same wiring). */
export async function createOrdersService(
  config: OrdersServiceConfig,
  deps: { logger?: LoggerService; clock?: Clock } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(OrdersServiceModule.register(config, deps), {
    logger: deps.logger,
    abortOnError: false,
  });
  app.enableShutdownHooks();
  return app;
}
