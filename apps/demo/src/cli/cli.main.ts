import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { loadDemoConfig } from '../config/demo.config';
import { CliModule } from './cli.module';
import { CliLogger } from './cli.logger';
import { EXIT } from './cli-run';

function failed(error: unknown, code: number): void {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = code;
}

/**
 * `npm run cli -- <command>`: clients create|list|update|delete, tokens purge|revoke|import, on the
 * demo's DATABASE_URL. Exit codes: 0 done, 1 refused or failed, 2 called wrongly.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadDemoConfig();
  } catch (error) {
    return failed(error, EXIT.usage); // a bad DATABASE_URL, AUTH_CLIENTS…
  }
  try {
    await CommandFactory.run(CliModule.register(config), {
      logger: new CliLogger(),
      serviceErrorHandler: (error: Error) => {
        failed(error, EXIT.failed);
        process.exit(EXIT.failed);
      },
    });
  } catch (error) {
    failed(error, EXIT.failed); // the database cannot be reached, its directory cannot be created…
  }
}

void main();
