import { SubCommand } from 'nest-commander';
import { ClientAdmin } from 'nestjs-multi-token-auth';
import { UsageError } from './cli-input';
import { printTable, runCommand } from './cli-run';
import { clientRow } from './client-summary.format';
import { ClientSettingsCommand, type ClientSettingsFlags } from './client-settings.options';

@SubCommand({
  name: 'update',
  arguments: '<name>',
  description: 'change the settings given; the others stay as they are',
})
export class ClientsUpdateCommand extends ClientSettingsCommand {
  constructor(private readonly admin: ClientAdmin) {
    super();
  }

  run([name]: string[], flags: ClientSettingsFlags = {}): Promise<void> {
    return runCommand(async () => {
      const changes = this.settings(flags);
      if (Object.keys(changes).length === 0)
        throw new UsageError('nothing to change: give at least one setting (see --help).');
      printTable([clientRow(await this.admin.update(name, changes))]);
    });
  }
}
