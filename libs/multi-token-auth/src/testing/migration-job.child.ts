import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { authTokenEntityFor, multiTokenAuthEntities } from '../contracts/entities/auth-entities.factory';
import { multiTokenAuthMigrations } from '../pure/migrations/multi-token-auth.migrations';
import { StoreTimesAsUtc9000000000005 } from '../pure/migrations/store-times-as-utc.migration';
import { CreateTestUsers1000000000000, TestUser } from './test-user.entity';

/** What the parent asks of this process (which runs with the parent's choice of `TZ`). */
export interface MigrationJob {
  url: string;
  /** `before`: the migrations before StoreTimesAsUtc9000000000005 (the old schema); `all`: up to it. */
  migrations: 'before' | 'all';
  /** Run after the migrations; each `dates` entry is passed as a `Date`, as the library did. */
  statements?: { sql: string; dates: string[] }[];
  /** Then undo the last migration. */
  undo?: boolean;
}

/** The token rows as TypeORM reads them in this process's time zone. */
export interface MigrationJobResult {
  tokens: { id: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null }[];
}

/**
 * A child process for migration specs: node-postgres writes and reads a `Date` in the process's
 * own time zone, so old rows are written, and the migration run, in the zone the parent chose.
 */
async function main(job: MigrationJob): Promise<MigrationJobResult> {
  // 'all' ends with StoreTimesAsUtc (so that undo reverts it); 'before' stops just before it.
  const upTo = multiTokenAuthMigrations.indexOf(StoreTimesAsUtc9000000000005);
  const own = multiTokenAuthMigrations.slice(0, job.migrations === 'all' ? upTo + 1 : upTo);
  const source = await new DataSource({
    type: 'postgres',
    url: job.url,
    entities: [TestUser, ...multiTokenAuthEntities(TestUser)],
    migrations: [CreateTestUsers1000000000000, ...own],
    migrationsRun: true,
  }).initialize();
  try {
    for (const { sql, dates } of job.statements ?? [])
      await source.query(
        sql,
        dates.map((date) => new Date(date)),
      );
    if (job.undo) await source.undoLastMigration();
    // Only the columns of that schema: later migrations add others the entity has.
    const tokens = await source.getRepository(authTokenEntityFor(TestUser)).find({
      select: { id: true, createdAt: true, expiresAt: true, lastUsedAt: true },
      order: { id: 'ASC' },
    });
    return {
      tokens: tokens.map((token) => ({
        id: token.id,
        createdAt: token.createdAt.toISOString(),
        expiresAt: token.expiresAt?.toISOString() ?? null,
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
      })),
    };
  } finally {
    await source.destroy();
  }
}

main(JSON.parse(process.env.MIGRATION_JOB ?? '{}') as MigrationJob).then(
  (result) => process.send?.(result, () => process.exit(0)),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
