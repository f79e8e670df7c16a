import { HttpException } from '@nestjs/common';
import { ClientAdminError } from 'nestjs-multi-token-auth';
import { UsageError } from './cli-input';

/** Exit codes as CLI users expect them: 0 done, 1 refused or failed, 2 called wrongly. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** One line: an HTTP exception's own message (the library's refusals), else the error's. */
function messageOf(error: unknown): string {
  if (error instanceof HttpException) {
    const { message } = error.getResponse() as { message?: unknown };
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' ? message : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs a command's work; prints what went wrong (never a stack for an expected refusal) and sets the exit code. */
export async function runCommand(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof ClientAdminError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = EXIT.failed;
    } else {
      process.stderr.write(`error: ${messageOf(error)}\n`);
      process.exitCode = EXIT.failed;
    }
  }
}

/** A command group called without a command: its help on stderr, exit code 2. */
export function showUsage(command: { helpInformation(): string }): Promise<void> {
  process.stderr.write(command.helpInformation());
  process.exitCode = EXIT.usage;
  return Promise.resolve();
}

/** Prints rows as aligned columns. */
export function printTable(rows: Record<string, string>[]): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]);
  const widths = headers.map((header) => Math.max(header.length, ...rows.map((row) => (row[header] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(headers), ...rows.map((row) => line(headers.map((h) => row[h] ?? '')))].join('\n')}\n`);
}
