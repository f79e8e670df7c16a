import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { loadDemoConfig } from '../config/demo.config';
import { CliModule } from './cli.module';
import { EXIT } from './cli-run';

/**
 * `npm run cli -- <command>`: clients create|list|update|delete, tokens purge|revoke|import, on the
 * demo's DATABASE_URL. Exit codes: 0 done, 1 refused or failed, 2 called wrongly.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadDemoConfig();
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  await CommandFactory.run(CliModule.register(config), {
    logger: ['error', 'warn'],
    serviceErrorHandler: (error: Error) => {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(EXIT.failed);
    },
  });
}

void main();
