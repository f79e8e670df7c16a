import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built CLI, as `npm run cli --` runs it. */
export const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'demo', 'src', 'cli', 'cli.main.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fails the spec at once when the CLI was not built: the specs run it as users do, from dist/. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error('Build first (npm run build): the spec runs the CLI as users do, from dist/.');
}

/**
 * Runs the CLI in its own process on the SQLite file `databaseFile`, with `node` from PATH as
 * `npm run cli` does (under test:nest12 Jest itself runs on Node 24, while the demo's native modules
 * are built for the system Node). `nodeArgs` go before the script (a `-r` preload, say).
 */
export function runCli(
  databaseFile: string,
  args: string[],
  { env = {}, nodeArgs = [] }: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [...nodeArgs, CLI, ...args],
      { env: { ...process.env, DATABASE_URL: `sqlite:${databaseFile}`, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
