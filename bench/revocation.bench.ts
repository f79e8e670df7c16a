import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startPostgres } from '../libs/multi-token-auth/src/testing/postgres.server';
import { startRedis } from '../libs/multi-token-auth/src/testing/redis.server';
import { TcpProxy } from '../test/support/tcp.proxy';

/**
 * The `revocation` phase of `npm run bench`: four demo instances, each a process of its own, on one
 * PostgreSQL. A and B share a Redis, each through a TCP proxy this process controls (to hang or
 * refuse one instance's link alone); P and Q have no Redis. For each case a token is used on the
 * receiving instance until it is cached, revoked on another (or by the CLI, a fifth process), and
 * the receiving instance is asked again and again until it refuses: the time from the revocation's
 * answer to that refusal is the propagation latency. Prints one JSON line: p50/p95/max per case.
 * BENCH_REVOCATION_TRIALS (default 20) trials per case.
 */
const TRIALS = Number(process.env.BENCH_REVOCATION_TRIALS ?? 20);
const dist = join(__dirname, '..');
const password = 'revocation bench password';

interface Instance {
  child: ChildProcess;
  base: string;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn('node', [join(__dirname, 'revocation-instance.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`an instance exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      resolve({ child, base: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` });
    });
  });
}

const call = async (instance: Instance, path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(instance.base + path, init);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function login(instance: Instance, client: string): Promise<string> {
  const res = await call(instance, '/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench', password, client }),
  });
  if (res.status !== 201) throw new Error(`login answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** Uses the token on `instance` a few times: the first reads the store, the rest are cache hits. */
async function warm(instance: Instance, token: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const res = await call(instance, '/me', { headers: bearer(token) });
    if (res.status !== 200) throw new Error(`warming answered ${res.status}`);
    await res.arrayBuffer();
  }
}

async function logout(instance: Instance, token: string): Promise<number> {
  const res = await call(instance, '/auth/logout', { method: 'POST', headers: bearer(token) });
  if (res.status !== 204) throw new Error(`logout answered ${res.status}`);
  return performance.now();
}

/** Milliseconds from `answeredAt` until `instance` refuses the token (bounded at 10 s). */
async function refusal(instance: Instance, token: string, answeredAt: number): Promise<number> {
  for (;;) {
    const res = await call(instance, '/me', { headers: bearer(token) });
    await res.arrayBuffer();
    const elapsed = performance.now() - answeredAt;
    if (res.status === 401) return elapsed;
    if (res.status !== 200 || elapsed > 10_000) throw new Error(`still ${res.status} after ${Math.round(elapsed)} ms`);
  }
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { trials: sorted.length, p50: Math.round(at(0.5)), p95: Math.round(at(0.95)), max: Math.round(at(1)) };
};

async function main(): Promise<void> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const redisPort = Number(new URL(redis.url).port);
  const proxyA = await TcpProxy.start(redisPort);
  const proxyB = await TcpProxy.start(redisPort);
  const databaseUrl = await postgres.createDatabase();
  const instances: Instance[] = [];
  const results: Record<string, ReturnType<typeof summary>> = {};
  try {
    const start = async (redisPort?: number) => {
      const instance = await startInstance({
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisPort ? `redis://127.0.0.1:${redisPort}` : '',
      });
      instances.push(instance);
      return instance;
    };
    // One at a time: the first runs the migrations.
    const a = await start(proxyA.port);
    const b = await start(proxyB.port);
    const p = await start();
    const q = await start();
    const created = await call(a, '/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password }),
    });
    const userId = ((await created.json()) as { id: number }).id;
    await new Promise((settle) => setTimeout(settle, 1000)); // both Redis links up

    /** `trials` revocations on `from`, each timed to its refusal on `to`, with `fault` on meanwhile. */
    const measure = async (name: string, from: Instance, to: Instance, fault?: { on(): void; off(): void }) => {
      const times: number[] = [];
      for (let i = 0; i < TRIALS; i++) {
        const token = await login(from, 'web');
        await warm(to, token);
        fault?.on();
        try {
          times.push(await refusal(to, token, await logout(from, token)));
        } finally {
          fault?.off();
        }
        // Links back (the bus re-subscribes, caches are trusted again) before the next trial.
        if (fault) await new Promise((settle) => setTimeout(settle, 1500));
      }
      results[name] = summary(times);
      process.stderr.write(`revocation: ${name}: ${JSON.stringify(results[name])}\n`);
    };
    const link = (proxy: TcpProxy, how: 'hang' | 'refuse') => ({ on: () => proxy[how](), off: () => proxy.resume() });

    await measure('healthy (Redis), A → B', a, b);
    await measure("A's Redis link hung", a, b, link(proxyA, 'hang'));
    await measure("A's Redis link refused", a, b, link(proxyA, 'refuse'));
    await measure("B's Redis link hung", a, b, link(proxyB, 'hang'));
    await measure("B's Redis link refused", a, b, link(proxyB, 'refuse'));
    await measure('Redis hung (SIGSTOP)', a, b, { on: () => redis.pause(), off: () => redis.resume() });
    await measure('no Redis, P → Q', p, q);

    const cli = join(dist, 'apps', 'demo', 'src', 'cli', 'cli.main.js');
    const times: number[] = [];
    for (let i = 0; i < Math.min(TRIALS, 10); i++) {
      const token = await login(p, 'cli');
      await warm(q, token);
      const answeredAt = await new Promise<number>((resolve, reject) =>
        execFile(
          'node',
          [cli, 'tokens', 'revoke', '--user', String(userId), '--client', 'cli'],
          { env: { ...process.env, DATABASE_URL: databaseUrl } },
          (error) => (error ? reject(new Error(`the CLI failed: ${error.message}`)) : resolve(performance.now())),
        ),
      );
      times.push(await refusal(q, token, answeredAt));
    }
    results['the CLI in another process, → Q (no Redis)'] = summary(times);
  } finally {
    for (const instance of instances) instance.child.kill('SIGTERM');
    await Promise.all(instances.map((instance) => new Promise((done) => instance.child.once('exit', done))));
    await proxyA.stop();
    await proxyB.stop();
    await redis.stop();
    postgres.stop();
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
