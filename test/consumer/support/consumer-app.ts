import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const CONSUMER = resolve(__dirname, '..');

/** A fixture app copied outside the repo, installed from the registry plus the packed library. */
export interface ConsumerApp {
  dir: string;
  /** Runs a command in the app directory with the app's Node first on PATH; returns stdout. */
  run(command: string, args: string[], env?: Record<string, string>): string;
  /** Starts `node dist/main.js` and resolves once it answers HTTP. */
  start(env: Record<string, string>): Promise<RunningApp>;
  /** Deletes the app directory. */
  remove(): void;
}

export interface RunningApp {
  base: string;
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Copies the shared app sources (`app/src`, the minimal app of docs/getting-started.md) and
 * `fixtures/<name>` into a fresh temp directory, points its dependency on the library at the
 * tarball, and runs `npm install`.
 * `nodeDir` is the Node to use (its `bin/` goes first on PATH), or undefined for the system Node.
 */
export function installConsumer(name: string, tarball: string, nodeDir?: string): ConsumerApp {
  const dir = mkdtempSync(join(tmpdir(), `mta-consumer-${name}-`));
  // The shared app and its Jest test first, then the fixture's own files (the Fastify fixture has its
  // own main.ts; only a fixture with Jest in its devDependencies runs the test).
  cpSync(join(CONSUMER, 'app', 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(CONSUMER, 'app', 'test'), join(dir, 'test'), { recursive: true });
  cpSync(join(CONSUMER, 'fixtures', name), dir, { recursive: true });
  const manifest = join(dir, 'package.json');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('file:PACKED_LIBRARY', `file:${tarball}`));

  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    PATH: nodeDir ? `${join(nodeDir, 'bin')}${delimiter}${process.env.PATH ?? ''}` : process.env.PATH,
    // A native module would build against this Node's headers, not the system Node's (~/.npmrc nodedir).
    ...(nodeDir ? { npm_config_nodedir: nodeDir } : {}),
    ...extra,
  });
  const run = (command: string, args: string[], extra?: Record<string, string>) =>
    execFileSync(command, args, { cwd: dir, env: env(extra), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  // --prefer-offline: the packages the repository's own install just fetched come from npm's cache,
  // the rest from the registry (minutes of metadata requests saved in CI, the same tree installed).
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
  return {
    dir,
    run,
    start: (extra) => startApp(dir, env(extra)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function startApp(dir: string, env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const port = env.PORT ?? '3000';
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('node', ['dist/main.js'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not answer within 60 s:\n${output}`);
    }
    const answered = await fetch(`${base}/me`).then(
      () => true,
      () => false,
    );
    if (answered) break;
    await new Promise((wait) => setTimeout(wait, 200));
  }
  return {
    base,
    logs: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
