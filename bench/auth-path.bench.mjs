// Requests per second through the auth path, against the same handler with no guard.
// Server and load generator run as separate processes, pinned to separate cores when `taskset`
// exists. Every loop is bounded (fixed duration per route) and only targets 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const pin = spawnSync('taskset', ['-V']).status === 0;

function startServer() {
  const args = ['dist/bench/bench-server.js'];
  const child = pin ? spawn('taskset', ['-c', '0', process.execPath, ...args]) : spawn(process.execPath, args);
  child.stderr.pipe(process.stderr);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ...JSON.parse(line) }));
  });
}

function run(url, headers) {
  return autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
}

const server = await startServer();
const base = `http://127.0.0.1:${server.port}`;
const bearer = { authorization: `Bearer ${server.token}` };
const forged = { authorization: `Bearer ${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}` };
const cases = [
  ['open route (no guard)', '/open', {}],
  ['MultiTokenAuthGuard, valid token', '/lean', bearer],
  ['PassportBearerAuthGuard, valid token', '/passport', bearer],
  ['MultiTokenAuthGuard, bad checksum (401, no I/O)', '/lean', forged],
  ['open route again (drift check)', '/open', {}],
];

await run(`${base}/lean`, bearer); // warm-up: JIT, SQLite page cache
const rows = [];
for (const [name, path, headers] of cases) {
  const result = await run(base + path, headers);
  const bad = result.non2xx + result.errors;
  rows.push({ name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: bad });
}
server.child.kill();

const open = rows[0].rps;
console.log(`\n${CONNECTIONS} connections, ${DURATION}s per route, pinned to separate cores: ${pin}`);
console.log('| route | req/s | vs open | p50 ms | p99 ms | non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of rows) {
  console.log(
    `| ${row.name} | ${Math.round(row.rps)} | ${(row.rps / open).toFixed(2)} | ${row.p50} | ${row.p99} | ${row.non2xx} |`,
  );
}
process.exit(0);
