import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { ClientAdmin } from 'nestjs-multi-token-auth';
import { runCommand } from './cli-run';

@SubCommand({
  name: 'delete',
  arguments: '<name>',
  description: 'delete a client; refused while it has tokens, unless --force',
})
export class ClientsDeleteCommand extends CommandRunner {
  constructor(private readonly admin: ClientAdmin) {
    super();
  }

  @Option({ flags: '--force', description: 'revoke its unexpired tokens first' })
  force(): boolean {
    return true;
  }

  run([name]: string[], flags: { force?: boolean } = {}): Promise<void> {
    return runCommand(async () => {
      const revoked = await this.admin.remove(name, { force: flags.force === true });
      process.stdout.write(`Deleted client ${name}; ${revoked} token(s) revoked.\n`);
    });
  }
}
