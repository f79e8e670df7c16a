import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { CommandRunner, SubCommand } from 'nest-commander';
import { TokenService, type LegacyToken } from 'nestjs-multi-token-auth';
import { UsageError } from './cli-input';
import { EXIT, runCommand } from './cli-run';

/**
 * `user_id,key` lines (a `user_id,key` header is skipped): the entries, with the line of each in
 * `yielded`; a line that is not two fields goes to `malformed`.
 */
async function* legacyTokens(file: string, malformed: number[], yielded: number[]): AsyncGenerator<LegacyToken> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    const trimmed = text.trim();
    if (trimmed === '' || (line === 1 && /^user_id\s*,\s*key$/i.test(trimmed))) continue;
    const [userId, key, ...rest] = trimmed.split(',').map((field) => field.trim());
    if (rest.length > 0 || !userId || !key || !/^\d+$/.test(userId) || !Number.isSafeInteger(Number(userId))) {
      malformed.push(line);
      continue;
    }
    yielded.push(line);
    yield { userId: Number(userId), key };
  }
}

@SubCommand({
  name: 'import',
  arguments: '<csv>',
  description: 'import user_id,key lines from a DRF authtoken export; only digests are stored',
})
export class TokensImportCommand extends CommandRunner {
  constructor(private readonly tokens: TokenService) {
    super();
  }

  run([file]: string[]): Promise<void> {
    return runCommand(async () => {
      await access(file).catch(() => {
        throw new UsageError(`cannot read ${file}.`);
      });
      const unreadable: number[] = [];
      const lines: number[] = [];
      const result = await this.tokens.importLegacyTokens(legacyTokens(file, unreadable, lines));
      process.stdout.write(`Imported ${result.imported} token(s).\n`);
      // Never a key: the line, the user and why, in the order of the file.
      const skipped = [
        ...unreadable.map((line) => ({ line, text: `skipped line ${line}: not user_id,key` })),
        ...result.skipped.map((skip) => {
          const line = lines[skip.index] ?? 0;
          return { line, text: `skipped line ${line} (user ${String(skip.userId)}): ${skip.reason}` };
        }),
      ].sort((a, b) => a.line - b.line);
      for (const { text } of skipped) process.stderr.write(`${text}\n`);
      if (unreadable.length + result.skipped.length > 0) process.exitCode = EXIT.failed;
    });
  }
}
