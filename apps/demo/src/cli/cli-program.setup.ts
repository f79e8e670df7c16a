import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';
import { EXIT } from './cli-run';

/** The part of a commander `Command` this needs. */
interface CommandTree {
  readonly commands: readonly CommandTree[];
  name(name: string): unknown;
  description(text: string): unknown;
  allowExcessArguments(allow: boolean): unknown;
  exitOverride(handler: (error: { exitCode: number }) => never): unknown;
}

const ABOUT = `Manage the demo's clients and tokens on its database.
Environment: the demo's own (DATABASE_URL, AUTH_CLIENTS, REDIS_URL, …); give it the running app's values.
Exit codes: 0 done, 1 refused or failed, 2 called wrongly.`;

/**
 * How the command tree behaves, set once nest-commander has built it: the name users type, a
 * description, and commander's own errors (unknown command or option, extra arguments, a missing
 * argument) as usage errors with exit code 2 in every subcommand (commander's default is 1, and
 * nest-commander overrides only the root). Extra arguments are refused: `--user 42 [--client x]`
 * copied with its brackets must not quietly run as `--user 42`.
 */
@Injectable()
export class CliProgramSetup implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly root: CommandTree) {}

  onApplicationBootstrap(): void {
    this.root.name('npm run cli --');
    this.root.description(ABOUT);
    const handler = (error: { exitCode: number }): never => process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
    const walk = (command: CommandTree): void => {
      command.allowExcessArguments(false);
      command.exitOverride(handler);
      command.commands.forEach(walk);
    };
    walk(this.root);
  }
}
