import { SubCommand } from 'nest-commander';
import { ClientAdmin } from 'nestjs-multi-token-auth';
import { printTable, runCommand } from './cli-run';
import { clientRow } from './client-summary.format';
import { ClientSettingsCommand, type ClientSettingsFlags } from './client-settings.options';

@SubCommand({ name: 'create', arguments: '<name>', description: 'create a client (name: 1-50 of a-z 0-9 _ -)' })
export class ClientsCreateCommand extends ClientSettingsCommand {
  constructor(private readonly admin: ClientAdmin) {
    super();
  }

  run([name]: string[], flags: ClientSettingsFlags = {}): Promise<void> {
    return runCommand(async () => {
      const client = await this.admin.create({ name: name, ...this.settings(flags) });
      printTable([clientRow(client)]);
    });
  }
}
