import { constants, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { TokenService, type LegacyToken } from 'nestjs-multi-token-auth';
import { UsageError } from './cli-input';
import { EXIT, runCommand } from './cli-run';
import { CsvRefusal, LegacyCsvFile } from './legacy-csv.reader';
import { LegacyImportReport } from './legacy-import.report';

/** The rows as the library's entries; rows the CLI cannot read go to the report instead. */
async function* entriesOf(csv: LegacyCsvFile, report: LegacyImportReport): AsyncGenerator<LegacyToken> {
  for await (const { line, values, problem } of csv.rows()) {
    const { user_id: id, username, key = '' } = values;
    // The demo's user ids are whole numbers; anything else cannot name one of its users.
    if (problem || (id !== undefined && !(/^[1-9]\d*$/.test(id) && Number.isSafeInteger(Number(id))))) {
      report.rowUnreadable(line, problem ?? 'user_id is not a whole number');
      continue;
    }
    report.rowPassed(line);
    yield { key, ...(username !== undefined && { username }), ...(id !== undefined && { userId: Number(id) }) };
  }
}

/** What a path that is not a regular file is, for the message that refuses it. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}

@SubCommand({
  name: 'import',
  arguments: '<csv>',
  description:
    'import legacy keys (DRF authtoken) from a CSV whose header names user_id, username, key; matched by username; only digests are stored',
})
export class TokensImportCommand extends CommandRunner {
  constructor(private readonly tokens: TokenService) {
    super();
  }

  @Option({
    flags: '--by-id',
    description: "match rows without a username by user_id: only if this app kept the old system's user ids",
  })
  byId(): boolean {
    return true;
  }

  @Option({
    flags: '--dry-run',
    description: 'check every row and say what would be imported, by reason; write nothing',
  })
  dryRun(): boolean {
    return true;
  }

  run([file]: string[], flags: { byId?: boolean; dryRun?: boolean } = {}): Promise<void> {
    const byId = flags.byId === true;
    const dryRun = flags.dryRun === true;
    return runCommand(async () => {
      const stats = await access(file, constants.R_OK).then(
        () => stat(file),
        () => {
          throw new UsageError(`cannot read ${file}.`);
        },
      );
      // The file is read more than once (its header, a check to the end, the import): a pipe
      // (/dev/stdin, <(...)) would be empty from the second read on and import nothing.
      if (!stats.isFile()) {
        throw new UsageError(
          `${file} is ${kindOf(stats)}, not a file: the import reads the file twice (a check of every line before ` +
            'anything is written, then the import). Save the export to a file and pass its path.',
        );
      }
      const csv = new LegacyCsvFile(file);
      if (!(await csv.columns()).has('username') && !byId) {
        throw new CsvRefusal(
          `${file} has user_id but no username column: an id alone may name another person in this app (users ` +
            'numbered afresh, one deleted user...). Add a username column (apps/demo/README.md, "Importing legacy tokens from a CSV"), or pass ' +
            "--by-id if this app kept the old system's user ids.",
        );
      }
      // Read once to the end before anything is written, so that a line that is not CSV or is too
      // long refuses the whole file rather than stopping an import halfway.
      let rows = 0;
      for await (const row of csv.rows()) {
        void row;
        rows++;
      }
      // A header alone is not an export of nobody's tokens: most likely a wrong or truncated file.
      if (rows === 0) throw new CsvRefusal(`${file} has a header but no rows: no token to import.`);
      const report = new LegacyImportReport();
      const result = await this.tokens.importLegacyTokens(entriesOf(csv, report), { byId, dryRun });
      if (!report.print(result, dryRun)) process.exitCode = EXIT.failed;
    });
  }
}
