import { Command, CommandRunner } from 'nest-commander';
import { showUsage } from './cli-run';
import { ClientsCreateCommand } from './clients-create.command';
import { ClientsDeleteCommand } from './clients-delete.command';
import { ClientsListCommand } from './clients-list.command';
import { ClientsUpdateCommand } from './clients-update.command';

@Command({
  name: 'clients',
  description: 'manage API clients',
  subCommands: [ClientsCreateCommand, ClientsListCommand, ClientsUpdateCommand, ClientsDeleteCommand],
})
export class ClientsCommand extends CommandRunner {
  run(): Promise<void> {
    return showUsage(this.command);
  }
}
