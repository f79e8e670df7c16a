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
 * row on stderr by line number, in file order, with the user it names. Never a key.
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
    const out = dryRun
      ? [
          `Dry run, nothing written: would import ${result.imported} token(s).`,
          `Would skip ${skips.length}: ${byReason}.`,
        ]
      : [`Imported ${result.imported} token(s).`, `Skipped ${skips.length}: ${byReason}.`];
    process.stdout.write(`${skips.length > 0 ? out.join('\n') : out[0]}\n`);
    for (const { line, reason, who, detail } of skips) {
      process.stderr.write(`skipped line ${line}${who}: ${reason}${detail ? ` (${detail})` : ''}\n`);
    }
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
