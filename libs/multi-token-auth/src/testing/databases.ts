import { startPostgres, type PostgresServer } from './postgres.server';

/** Every store the library supports; conformance specs run once per entry. */
export const DATABASES = ['SQLite', 'PostgreSQL'] as const;
export type DatabaseKind = (typeof DATABASES)[number];

/**
 * Call inside a describe block: for PostgreSQL it starts a real server for the block; the returned
 * function gives a fresh, empty database URL per test (`undefined` = in-memory SQLite).
 */
export function useDatabase(kind: DatabaseKind): () => Promise<string | undefined> {
  let server: PostgresServer | undefined;
  if (kind === 'PostgreSQL') {
    beforeAll(async () => {
      server = await startPostgres();
    }, 60_000);
    afterAll(() => server?.stop());
  }
  return () => (server ? server.createDatabase() : Promise.resolve(undefined));
}
