import { Command, CommandRunner } from 'nest-commander';
import { showUsage } from './cli-run';
import { TokensImportCommand } from './tokens-import.command';
import { TokensPurgeCommand } from './tokens-purge.command';
import { TokensRevokeCommand } from './tokens-revoke.command';

@Command({
  name: 'tokens',
  description: 'purge, revoke and import tokens',
  subCommands: [TokensPurgeCommand, TokensRevokeCommand, TokensImportCommand],
})
export class TokensCommand extends CommandRunner {
  run(): Promise<void> {
    return showUsage(this.command);
  }
}
