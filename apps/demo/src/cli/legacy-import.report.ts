import type { LegacyImportResult, LegacySkipReason, UserId } from 'nestjs-multi-token-auth';

/** Why the CLI itself left a row out: the library's reasons, plus `malformed` with what was wrong. */
interface Skip {
  line: number;
  reason: LegacySkipReason;
  who: string;
  detail?: string;
}

/**
 * What an import did (or, in a dry run, would do): counts by reason on stdout, and each skipped
 * row on stderr by line number, in file order, with the user it names; likewise each row imported
 * for a user whose stored username is spelled otherwise (`Bob` for `bob`). Never a key.
 */
export class LegacyImportReport {
  private readonly unreadable: Skip[] = [];
  /** The line of each entry handed to the library, by its index there. */
  private readonly lines: number[] = [];

  /** A row the CLI could not turn into an entry. */
  rowUnreadable(line: number, detail: string): void {
    this.unreadable.push({ line, reason: 'malformed', who: '', detail });
  }

  /** A row handed to the library as its next entry. */
  rowPassed(line: number): void {
    this.lines.push(line);
  }

  /** Prints the outcome; `true` when every row went in. */
  print(result: LegacyImportResult, dryRun: boolean): boolean {
    const skips: Skip[] = [
      ...this.unreadable,
      ...result.skipped.map((skip) => ({
        line: this.lines[skip.index] ?? 0,
        reason: skip.reason,
        who: whoOf(skip.username, skip.userId),
      })),
    ].sort((a, b) => a.line - b.line);
    const counts = new Map<string, number>();
    for (const { reason } of skips) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const byReason = [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', ');
    const renamed = result.normalized.length;
    const out = [
      dryRun
        ? `Dry run, nothing written: would import ${result.imported} token(s).`
        : `Imported ${result.imported} token(s).`,
      ...(renamed > 0
        ? [`${dryRun ? 'Would match' : 'Matched'} ${renamed} by a username spelled otherwise than this app stores it.`]
        : []),
      ...(skips.length > 0 ? [`${dryRun ? 'Would skip' : 'Skipped'} ${skips.length}: ${byReason}.`] : []),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    // One stream of lines in file order, so that an operator reads the file's story top to bottom.
    const lines = [
      ...skips.map(({ line, reason, who, detail }) => ({
        line,
        text: `skipped line ${line}${who}: ${reason}${detail ? ` (${detail})` : ''}`,
      })),
      ...result.normalized.map(({ index, username, storedAs, userId }) => {
        const line = this.lines[index] ?? 0;
        return {
          line,
          text: `normalized line ${line} (username ${JSON.stringify(username)}): ${dryRun ? 'would go' : 'went'} to user ${JSON.stringify(storedAs)} (user ${String(userId)})`,
        };
      }),
    ].sort((a, b) => a.line - b.line);
    for (const { text } of lines) process.stderr.write(`${text}\n`);
    return skips.length === 0;
  }
}

/** ` (username "bob", user 7)`: JSON-quoted, so that a name cannot break the line or the terminal. */
function whoOf(username: string | undefined, userId: UserId | undefined): string {
  const parts = [
    ...(username === undefined ? [] : [`username ${JSON.stringify(username)}`]),
    ...(userId === undefined ? [] : [`user ${String(userId)}`]),
  ];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
