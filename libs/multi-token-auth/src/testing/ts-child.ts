import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * Run in the child before its entry: compiles `.ts` files on load (TypeScript's own
 * `transpileModule`, the tsconfig's decorator settings) and maps `nestjs-multi-token-auth` to the
 * library's sources, as Jest's moduleNameMapper does. No build, no extra dependency.
 */
const BOOTSTRAP = `
const ts = require('typescript');
const fs = require('node:fs');
const Module = require('node:module');
const alias = ${JSON.stringify(join(ROOT, 'libs', 'multi-token-auth', 'src', 'index.ts'))};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === 'nestjs-multi-token-auth' ? alias : request, ...rest);
};
const compilerOptions = {
  module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
  experimentalDecorators: true, emitDecoratorMetadata: true, useDefineForClassFields: false,
};
require.extensions['.ts'] = (module, fileName) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(fileName, 'utf8'), { fileName, compilerOptions });
  module._compile(outputText, fileName);
};
require(process.argv[1]);
`;

/**
 * Starts `entry` (a `.ts` file) in a separate Node process with `env` added (`TZ` is why: a time
 * zone is per process), with an IPC channel and its output collected for failure messages. The
 * child is `node` from PATH, as `npm run cli` would be: under test:nest12 Jest itself runs on
 * Node 24, while the workspace's native modules (better-sqlite3) are built for the system Node.
 */
export function spawnTs(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn('node', ['-e', BOOTSTRAP, entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Runs `entry` to its end; resolves with its last IPC message, rejects with its output on failure. */
export function runTs<T>(entry: string, env: Record<string, string>): Promise<T> {
  const { child, output } = spawnTs(entry, env);
  let result: T | undefined;
  child.on('message', (message: T) => (result = message));
  return new Promise((done, fail) => {
    child.on('exit', (code) =>
      code === 0 && result !== undefined ? done(result) : fail(new Error(`${entry} exited ${code}:\n${output()}`)),
    );
  });
}
