import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { TokenService } from 'nestjs-multi-token-auth';
import { parseFiniteDuration } from './cli-input';
import { runCommand } from './cli-run';

@SubCommand({ name: 'purge', description: 'delete expired tokens, in batches' })
export class TokensPurgeCommand extends CommandRunner {
  constructor(private readonly tokens: TokenService) {
    super();
  }

  @Option({
    flags: '--older-than <duration>',
    description: 'only tokens expired this long ago (30d…); default: the purge.retention option',
  })
  olderThan(value: string): string {
    return value;
  }

  run(_args: string[], flags: { olderThan?: string } = {}): Promise<void> {
    return runCommand(async () => {
      const olderThan =
        flags.olderThan === undefined ? undefined : parseFiniteDuration('--older-than', flags.olderThan);
      const purged = await this.tokens.purgeExpired({ olderThan });
      process.stdout.write(`Purged ${purged} expired token(s).\n`);
    });
  }
}
