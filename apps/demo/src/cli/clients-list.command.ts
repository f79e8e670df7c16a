import { CommandRunner, SubCommand } from 'nest-commander';
import { ClientAdmin } from 'nestjs-multi-token-auth';
import { printTable, runCommand } from './cli-run';
import { clientRow } from './client-summary.format';

@SubCommand({ name: 'list', description: 'every client, its settings, unexpired tokens and what sets it' })
export class ClientsListCommand extends CommandRunner {
  constructor(private readonly admin: ClientAdmin) {
    super();
  }

  run(): Promise<void> {
    return runCommand(async () => printTable((await this.admin.list()).map(clientRow)));
  }
}
