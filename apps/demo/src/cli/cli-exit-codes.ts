import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';
import { EXIT } from './cli-run';

/** The part of a commander `Command` this needs. */
interface CommandTree {
  readonly commands: readonly CommandTree[];
  exitOverride(handler: (error: { exitCode: number }) => never): unknown;
}

/**
 * Commander's own errors (unknown command or option, missing argument) exit with 2, as a usage
 * error should, in every subcommand: commander's default is 1, and nest-commander overrides only
 * the root command.
 */
@Injectable()
export class CliExitCodes implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly root: CommandTree) {}

  onApplicationBootstrap(): void {
    const handler = (error: { exitCode: number }): never => process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
    const walk = (command: CommandTree): void => {
      command.exitOverride(handler);
      command.commands.forEach(walk);
    };
    walk(this.root);
  }
}
