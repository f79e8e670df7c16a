import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

/**
 * `npm run bench:login-flood`: a distributed password flood against the demo, measured as an
 * attacker would run it (issue 17, item 14). The demo (`login-flood.server.ts`: default scrypt,
 * SQLite file, TRUST_PROXY=1) runs in its own process; from here, FLOOD_ADDRESSES (100) addresses
 * each keep FLOOD_CONCURRENCY (4) wrong logins in flight for FLOOD_SECONDS (12), spraying
 * usernames (so only the per-address limit applies), while a real user signs in FLOOD_REAL_LOGINS
 * (12) times from an address of its own, one login a second. Prints how many real logins
 * succeeded and how long they took, what the attacker sent and how it was answered, and how many
 * of its attempts the per-address limit counted (read from the server's attempt store); then one
 * JSON line. Not part of `npm test`: it takes the machine's cores for the whole run.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ADDRESSES = env('FLOOD_ADDRESSES', 100);
const CONCURRENCY = env('FLOOD_CONCURRENCY', 4);
const SECONDS = env('FLOOD_SECONDS', 12);
const REAL_LOGINS = env('FLOOD_REAL_LOGINS', 12);
const REAL_IP = '10.1.1.1';
const attackerIp = (i: number) => `10.66.${Math.floor(i / 250)}.${i % 250}`;

interface Answer {
  status: number;
  code: string;
  ms: number;
}

async function startServer(): Promise<{ base: string; stats: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(__dirname, 'login-flood.server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const { port, stats } = JSON.parse(line) as { port: number; stats: number };
  return {
    base: `http://127.0.0.1:${port}`,
    stats: `http://127.0.0.1:${stats}`,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function post(base: string, path: string, ip: string, body: object): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { code?: string };
    return { status: res.status, code: json.code ?? '', ms: performance.now() - started };
  } catch (error) {
    return { status: 0, code: (error as Error).message, ms: performance.now() - started };
  }
}

/** Nearest-rank percentile. */
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
};

const tally = (answers: Answer[]) => {
  const counts: Record<string, number> = {};
  for (const { status, code } of answers) counts[`${status} ${code}`] = (counts[`${status} ${code}`] ?? 0) + 1;
  return counts;
};

async function main(): Promise<void> {
  const server = await startServer();
  try {
    const registered = await post(server.base, '/users', REAL_IP, { username: 'alice', password: 'correct horse' });
    if (registered.status !== 201) throw new Error(`registering the real user: ${registered.status}`);
    let stopped = false;
    const attacks: Answer[] = [];
    let sent = 0;
    const worker = async (address: number) => {
      while (!stopped) {
        const username = `user${sent++ % 1_000}`;
        attacks.push(
          await post(server.base, '/auth/login', attackerIp(address), { username, password: 'guess', client: 'web' }),
        );
      }
    };
    const workers = Array.from({ length: ADDRESSES * CONCURRENCY }, (_, i) => worker(i % ADDRESSES));
    const real: Answer[] = [];
    const started = performance.now();
    for (let i = 0; i < REAL_LOGINS; i++) {
      // One login a second, the first once the flood is under way; the next never before the last answered.
      const due = started + 500 + i * ((SECONDS * 1000 - 1000) / Math.max(1, REAL_LOGINS - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      real.push(
        await post(server.base, '/auth/login', REAL_IP, {
          username: 'alice',
          password: 'correct horse',
          client: 'web',
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + SECONDS * 1000 - performance.now())));
    stopped = true;
    await Promise.all(workers);
    const query = Array.from({ length: ADDRESSES }, (_, i) => `ip=${attackerIp(i)}`).join('&');
    const stats = (await (await fetch(`${server.stats}/counted?${query}`)).json()) as {
      counted: Record<string, number>;
      checks: { count: number; p50Ms: number; p95Ms: number; maxMs: number };
    };
    const latencies = real.map((answer) => answer.ms);
    const result = {
      setup: { addresses: ADDRESSES, concurrency: CONCURRENCY, seconds: SECONDS, realLogins: REAL_LOGINS },
      real: {
        succeeded: real.filter((answer) => answer.status === 201).length,
        answers: tally(real),
        p50Ms: Math.round(percentile(latencies, 50)),
        p95Ms: Math.round(percentile(latencies, 95)),
        maxMs: Math.round(Math.max(...latencies)),
        each: real.map((answer) => `${answer.status} ${Math.round(answer.ms)} ms`),
      },
      attacker: {
        made: attacks.length,
        counted: Object.values(stats.counted).reduce((sum, n) => sum + n, 0),
        answers: tally(attacks),
        status429: attacks.filter((answer) => answer.status === 429).length,
        status503: attacks.filter((answer) => answer.status === 503).length,
        passwordChecks: attacks.filter((answer) => answer.status === 401).length,
      },
      passwordChecks: stats.checks,
    };
    process.stdout.write(
      [
        `real user: ${result.real.succeeded}/${REAL_LOGINS} logins succeeded, p50 ${result.real.p50Ms} ms, p95 ${result.real.p95Ms} ms, max ${result.real.maxMs} ms`,
        `  each: ${result.real.each.join(', ')}`,
        `attacker: ${result.attacker.made} requests, ${result.attacker.counted} counted against the per-address limit, ` +
          `${result.attacker.status429} answered 429, ${result.attacker.status503} answered 503, ${result.attacker.passwordChecks} password checks (401)`,
        `  answers: ${JSON.stringify(result.attacker.answers)}`,
        `password checks on the server: ${stats.checks.count}, each took p50 ${stats.checks.p50Ms} ms, p95 ${stats.checks.p95Ms} ms, max ${stats.checks.maxMs} ms`,
        JSON.stringify(result),
        '',
      ].join('\n'),
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
