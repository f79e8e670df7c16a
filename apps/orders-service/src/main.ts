import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadOrdersServiceConfig } from './orders-service.config';
import { createOrdersService } from './orders-service.app';

async function main(): Promise<void> {
  const config = loadOrdersServiceConfig();
  const app = await createOrdersService(config);
  await app.listen(config.port, config.host);
  new Logger('OrdersService').log(
    `listening on http://${config.host}:${config.port}, tokens introspected at ${config.ownerUrl}`,
  );
}

main().catch((error: unknown) => {
  new Logger('OrdersService').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
