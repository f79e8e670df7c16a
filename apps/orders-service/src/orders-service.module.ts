import { Module, type DynamicModule } from '@nestjs/common';
import { MultiTokenAuthModule, type Clock } from 'nestjs-multi-token-auth';
import type { OrdersServiceConfig } from './orders-service.config';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsService } from './shipments.service';

/** The orders service: no database, no users table; tokens are the demo's, checked by introspection. */
@Module({})
export class OrdersServiceModule {
  static register(config: OrdersServiceConfig, deps: { clock?: Clock } = {}): DynamicModule {
    return {
      module: OrdersServiceModule,
      imports: [
        MultiTokenAuthModule.forResourceServer({
          introspection: {
            url: `${config.ownerUrl}/auth/introspect`,
            apiKey: config.apiKey,
            allowInsecureHttp: config.allowInsecureHttp,
          },
          redis: config.redisUrl ? { url: config.redisUrl } : undefined,
          defaultThrottleRate: config.shipmentRate,
          globalGuard: true,
          clock: deps.clock,
        }),
      ],
      controllers: [ShipmentsController],
      providers: [ShipmentsService],
    };
  }
}
