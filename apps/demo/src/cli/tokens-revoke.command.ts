import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { TokenService } from 'nestjs-multi-token-auth';
import { parseUserId, UsageError } from './cli-input';
import { runCommand } from './cli-run';

@SubCommand({ name: 'revoke', description: "revoke a user's tokens (API keys included), as logout-all does" })
export class TokensRevokeCommand extends CommandRunner {
  constructor(private readonly tokens: TokenService) {
    super();
  }

  @Option({ flags: '--user <id>', description: 'the user whose tokens end (required)' })
  user(value: string): string {
    return value;
  }

  @Option({ flags: '--client <name>', description: 'only the tokens of this client' })
  client(value: string): string {
    return value;
  }

  run(_args: string[], flags: { user?: string; client?: string } = {}): Promise<void> {
    return runCommand(async () => {
      if (flags.user === undefined) throw new UsageError('--user <id> is required.');
      const userId = parseUserId('--user', flags.user);
      const clientId = flags.client === undefined ? undefined : (await this.findClient(flags.client)).id;
      const revoked = await this.tokens.revokeAll(userId, { clientId, reason: 'admin' });
      process.stdout.write(`Revoked ${revoked} token(s) of user ${userId}.\n`);
    });
  }

  private async findClient(name: string) {
    try {
      return await this.tokens.findClient(name);
    } catch {
      throw new Error(`There is no client "${name}" (see clients list).`);
    }
  }
}
