import type { LoggerService } from '@nestjs/common';

/** Keeps every line the app logs, so tests can assert what reached the logs (and what did not). */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  private keep(level: string, message: unknown, rest: unknown[]): void {
    const parts = [message, ...rest].map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
    this.lines.push(`${level} ${parts.join(' ')}`);
  }

  log(message: unknown, ...rest: unknown[]) {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.keep('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.keep('fatal', message, rest);
  }
}
