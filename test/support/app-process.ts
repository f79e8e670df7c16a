import type { ChildProcess } from 'node:child_process';
import { spawnTs } from '../../libs/multi-token-auth/src/testing/ts-child';

/** An app's own `main.ts` running in a process of its own, on a port the spec chose. */
export interface AppProcess {
  readonly url: string;
  output(): string;
  /**
   * SIGTERM, then waits for the process to end: rejects (after a SIGKILL, with its output) if it
   * has not ended 15 s later, as an orchestrator would kill it; a graceful shutdown that hangs is
   * a failure, not a test timeout.
   */
  stop(): Promise<void>;
}

/**
 * Starts `entry` (an app's `main.ts`) with `env` (its `PORT` among them) and waits until
 * `GET /health` answers 200: how the app runs in production, not a Nest app inside the test.
 */
export async function startAppProcess(entry: string, port: number, env: Record<string, string>): Promise<AppProcess> {
  const { child, output } = spawnTs(entry, { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited ${child.exitCode}:\n${output()}`);
    const up = await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`${entry} did not answer /health in 60 s:\n${output()}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return { url, output, stop: () => ended(child, output) };
}

const STOP_MS = 15_000;

function ended(child: ChildProcess, output: () => string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done, fail) => {
    const killed = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`still running ${STOP_MS} ms after SIGTERM (killed):\n${output().slice(-4000)}`));
    }, STOP_MS);
    child.once('exit', () => {
      clearTimeout(killed);
      done();
    });
    child.kill('SIGTERM');
  });
}
