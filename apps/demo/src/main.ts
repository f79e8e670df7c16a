import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadDemoConfig } from './config/demo.config';
import { createDemoApp } from './demo.app';

async function main(): Promise<void> {
  const config = loadDemoConfig();
  const app = await createDemoApp(config);
  await app.listen(config.port, config.host);
  new Logger('Demo').log(`listening on http://${config.host}:${config.port} (database ${config.database.type})`);
}

main().catch((error: unknown) => {
  new Logger('Demo').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
