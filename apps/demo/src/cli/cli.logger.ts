import type { LoggerService } from '@nestjs/common';

/**
 * The CLI's logger: errors and warnings as one line each on stderr, never a stack trace (a
 * database that cannot be reached is a message, not a dump), and the audit trail's lines, so that
 * what the CLI revokes or imports is recorded as the app's own changes are.
 */
export class CliLogger implements LoggerService {
  log(message: unknown, context?: string): void {
    if (context === 'Audit') process.stderr.write(`audit: ${String(message)}\n`);
  }

  error(message: unknown): void {
    process.stderr.write(`error: ${String(message)}\n`);
  }

  warn(message: unknown): void {
    process.stderr.write(`warning: ${String(message)}\n`);
  }
}
