import 'reflect-metadata';
import { Controller, Get, Module, UseGuards, type ExecutionContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MultiTokenAuthGuard,
  MultiTokenAuthModule,
  ScryptPasswordHasher,
  TokenCodec,
  TokenService,
  TypeOrmTokenStore,
} from 'nestjs-multi-token-auth';
import { DataSource } from 'typeorm';
import { User } from '../apps/demo/src/users/user.entity';
import { benchAuthModules } from './bench-database';

/**
 * `npm run bench:guard-cost`: the CPU time `MultiTokenAuthGuard.canActivate` takes per call, cache
 * warm, in this process (no HTTP, no load generator): a plain token against a key with an
 * allow-list, metadata, a rate limit and a quota it never reaches. The HTTP bench's rates move
 * ±10 % from run to run on this machine; this measures the checks' own cost in microseconds, with
 * `process.cpuUsage()` (other processes' load does not count), as the median of interleaved rounds.
 * Last, the same guard in a resource server (`forResourceServer()`), its cache warm, in front of a
 * stand-in owner in this process.
 */
const CALLS = Number(process.env.BENCH_CALLS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

@Controller()
class RouteController {
  @UseGuards(MultiTokenAuthGuard) @Get('lean') lean() {
    return { ok: true };
  }
}

/** An ExecutionContext of an HTTP request to `RouteController.lean`, with a response that keeps headers. */
function contextFor(token: string): ExecutionContext {
  // The handler as Nest passes it to guards: the method itself, only compared, never called.
  const handler = Object.getOwnPropertyDescriptor(RouteController.prototype, 'lean')?.value as unknown;
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => RouteController,
    getArgByIndex: (index: number) => (index === 0 ? request() : response()),
    getArgs: () => [request(), response()],
    switchToHttp: () => ({ getRequest: request, getResponse: response, getNext: () => undefined }),
    switchToRpc: () => {
      throw new Error('http only');
    },
    switchToWs: () => {
      throw new Error('http only');
    },
  } as unknown as ExecutionContext;
  // A new request per call (guards mark requests), one response object whose headers are overwritten.
  function request() {
    current ??= { headers: { authorization: `Bearer ${token}` }, ip: '127.0.0.1', method: 'GET', url: '/lean' };
    return current;
  }
  function response() {
    return res;
  }
}
let current: object | undefined;
const res = {
  headers: new Map<string, unknown>(),
  setHeader: (name: string, value: unknown) => res.headers.set(name, value),
};

async function main(): Promise<void> {
  @Module({
    imports: [
      ...(await benchAuthModules((dataSource) => new TypeOrmTokenStore(dataSource, User), {
        cache: { maxEntries: 10_000 },
      })),
    ],
    controllers: [RouteController],
  })
  class CostModule {}
  const app = await NestFactory.createApplicationContext(CostModule, { logger: ['error'] });
  const users = app.get(DataSource).getRepository(User);
  const passwordHash = await new ScryptPasswordHasher(2 ** 10).hash('bench password');
  const user = await users.save(users.create({ username: 'bench', passwordHash, isActive: true }));
  const tokens = app.get(TokenService);
  const lifecycle = {
    allowedIps: ['10.0.0.0/8', '192.168.0.0/16', '127.0.0.0/8', '::1'],
    metadata: { team: 'bench', plan: 'pro' },
  };
  // Each row adds one check to the one before it.
  const rows: [string, object][] = [
    ['plain token', {}],
    ['+ allowedIps and metadata', lifecycle],
    ['+ rateLimit (never reached)', { ...lifecycle, rateLimit: '999999999/1d' }],
    ['+ quota (never reached)', { ...lifecycle, rateLimit: '999999999/1d', quota: { limit: 1_000_000_000 } }],
  ];
  const issued: [string, string][] = [];
  for (const [name, fields] of rows)
    issued.push([name, (await tokens.issue(user, { client: 'web', ...fields })).token]);
  const guard = app.get(MultiTokenAuthGuard);
  const run = async (token: string): Promise<number> => {
    const context = contextFor(token);
    const before = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) {
      current = undefined;
      await guard.canActivate(context);
    }
    const used = process.cpuUsage(before);
    return ((used.user + used.system) * 1000) / CALLS; // ns per call
  };
  const samples = new Map<string, number[]>(issued.map(([name]) => [name, []]));
  for (const [, token] of issued) await run(token); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, token] of issued) samples.get(name)?.push(await run(token));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`MultiTokenAuthGuard.canActivate, cache warm, median of ${ROUNDS} rounds of ${CALLS} calls (CPU time):`);
  const base = median(samples.get('plain token') ?? []);
  for (const [name, values] of samples) {
    const ns = median(values);
    console.log(`  ${name}: ${(ns / 1000).toFixed(2)} µs a call (+${((ns - base) / 1000).toFixed(2)})`);
  }
  await app.close();
  const remote = await resourceServerCost();
  console.log(`  resource server (forResourceServer), plain token: ${(remote / 1000).toFixed(2)} µs a call`);
}

/** The guard's CPU time per call in a resource server whose cache holds the token (median of ROUNDS). */
async function resourceServerCost(): Promise<number> {
  const token = new TokenCodec('mta').generate();
  const owner = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/auth/introspect') {
        res.end(JSON.stringify({ active: true, sub: '1', username: 'bench', client_id: 'web', jti: 'bench' }));
      } else res.end(JSON.stringify(req.url === '/auth/revocations' ? { head: 0, positions: [] } : { entries: [] }));
    });
  });
  await new Promise<void>((listening) => owner.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(owner.address() as AddressInfo).port}/auth/introspect`;
  @Module({
    imports: [
      MultiTokenAuthModule.forResourceServer({ introspection: { url, apiKey: new TokenCodec('mta').generate() } }),
    ],
    controllers: [RouteController],
  })
  class RemoteModule {}
  const app = await NestFactory.createApplicationContext(RemoteModule, { logger: ['error'] });
  const guard = app.get(MultiTokenAuthGuard);
  const context = contextFor(token);
  await new Promise((wait) => setTimeout(wait, 500)); // the feed read once: fresh
  current = undefined;
  await guard.canActivate(context); // introspected once, cached
  const samples: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) {
      current = undefined;
      await guard.canActivate(context);
    }
    const used = process.cpuUsage(before);
    if (round > 0) samples.push(((used.user + used.system) * 1000) / CALLS);
  }
  await app.close();
  owner.close();
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

void main();
