import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { LoginAttemptStore, ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import { loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { createDemoApp } from '../apps/demo/src/demo.app';

/**
 * The demo as `npm run demo` runs it (scrypt at its default cost, SQLite file, the library's
 * default limits), with TRUST_PROXY=1 so that X-Forwarded-For is the client address, for
 * `login-flood.bench.ts`. Beside it, on another port, `GET /counted?ip=a&ip=b` answers how many
 * attempts the per-address limit holds for each address (read through the public
 * `LoginAttemptStore`, the one probe hit taken off), so the driver measures what was counted
 * instead of inferring it from status codes, and how long the password checks took. Prints `{"port":…,"stats":…}` once listening.
 */
/** Start-up and audit lines would drown the driver's output; the library's warnings and all errors show. */
const quiet: LoggerService = {
  log: () => undefined,
  warn: (message: unknown, context?: unknown) =>
    context === 'MultiTokenAuth' && process.stderr.write(`server warning: ${String(message)}\n`),
  error: (message: unknown) => process.stderr.write(`server error: ${String(message)}\n`),
};

/** The demo's hasher (scrypt at its default cost), timing each password check. */
class TimedHasher extends ScryptPasswordHasher {
  readonly verifyMs: number[] = [];
  override async verify(hash: string, password: string): Promise<boolean> {
    const started = performance.now();
    try {
      return await super.verify(hash, password);
    } finally {
      this.verifyMs.push(performance.now() - started);
    }
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mta-flood-bench-'));
  const config = loadDemoConfig({ DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`, TRUST_PROXY: '1' });
  const hasher = new TimedHasher();
  const app = await createDemoApp(config, { logger: quiet, hasher });
  await app.listen(0, '127.0.0.1');
  const store = app.get<LoginAttemptStore>(LoginAttemptStore);
  // Read at the very end of a run: each probe adds one hit to a window that is about to be dropped.
  const stats = createServer((req, res) => {
    const ips = new URL(req.url ?? '/', 'http://x').searchParams.getAll('ip');
    void Promise.all(ips.map(async (ip) => (await store.hit(`ip:${ip}`, 15 * 60_000)).count - 1)).then((counts) => {
      res.setHeader('content-type', 'application/json');
      const verifyMs = [...hasher.verifyMs].sort((a, b) => a - b);
      const at = (q: number) => Math.round(verifyMs[Math.min(verifyMs.length - 1, Math.floor(q * verifyMs.length))]);
      const checks = { count: verifyMs.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
      res.end(JSON.stringify({ counted: Object.fromEntries(ips.map((ip, i) => [ip, counts[i]])), checks }));
    });
  });
  await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port: address.port, stats: (stats.address() as AddressInfo).port })}\n`);
  process.once('SIGTERM', () => {
    stats.close();
    void app.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

void main();
