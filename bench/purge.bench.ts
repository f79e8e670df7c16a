import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TokenCodec, TokenService, TypeOrmTokenStore, type RevokedToken } from 'nestjs-multi-token-auth';
import { DataSource } from 'typeorm';
import { User } from '../apps/demo/src/users/user.entity';
import { benchAuthModules } from './bench-database';
import { seedTokens } from './bench-seed';

/**
 * The purge of a large table of expired tokens (`npm run bench`, phase `purge`): BENCH_DB
 * (`sqlite` | `postgres`) and BENCH_PURGE_ROWS (default 1 000 000). Seeds that many expired tokens
 * beside 1 000 live ones, purges them with `TokenService.purgeExpired()` in its default batches and
 * times every statement (how long each holds the table), then seeds them again and deletes them in
 * one statement, as an unbatched purge would. Prints one JSON line.
 */
class TimedStore extends TypeOrmTokenStore {
  readonly statements: number[] = [];
  override async purgeExpired(now: Date, userId?: string | number, limit?: number): Promise<RevokedToken[]> {
    const started = performance.now();
    try {
      return await super.purgeExpired(now, userId, limit);
    } finally {
      this.statements.push(performance.now() - started);
    }
  }
}

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
const ms = (value: number) => Math.round(value * 10) / 10;

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_PURGE_ROWS ?? 1_000_000);
  let store: TimedStore | undefined;
  @Module({
    imports: [
      ...(await benchAuthModules((dataSource) => (store = new TimedStore(dataSource, User)), { cache: false })),
    ],
  })
  class PurgeBenchModule {}

  const app = await NestFactory.createApplicationContext(PurgeBenchModule, { logger: ['error'] });
  const dataSource = app.get(DataSource);
  const codec = app.get(TokenCodec);
  const tokens = app.get(TokenService);
  const users = dataSource.getRepository(User);
  const user = await users.save(users.create({ username: 'bench', passwordHash: 'x', isActive: true }));
  const expired = new Date(Date.now() - 86_400_000);
  const timed = store as TimedStore;

  await seedTokens(dataSource, user.id, 1_000, codec);
  await seedTokens(dataSource, user.id, rows, codec, expired);
  let started = performance.now();
  const purged = await tokens.purgeExpired();
  const batchedTotal = performance.now() - started;
  const batches = timed.statements.splice(0);

  await seedTokens(dataSource, user.id, rows, codec, expired);
  started = performance.now();
  const deleted = await timed.purgeExpired(new Date());
  const unbatched = performance.now() - started;
  const left = await dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM auth_tokens');

  const result = {
    db: dataSource.options.type,
    rows,
    purged,
    deletedUnbatched: deleted.length,
    left: Number(left[0].n),
    batches: batches.length,
    batchMedianMs: ms(quantile(batches, 0.5)),
    batchP99Ms: ms(quantile(batches, 0.99)),
    batchMaxMs: ms(Math.max(...batches)),
    batchedTotalMs: Math.round(batchedTotal),
    unbatchedStatementMs: Math.round(unbatched),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await app.close();
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
