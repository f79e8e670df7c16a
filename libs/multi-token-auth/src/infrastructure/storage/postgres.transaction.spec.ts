import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { useDatabase } from '../../testing/databases';
import { inPostgresTransaction } from './postgres.transaction';

/**
 * A real PostgreSQL: a transaction whose session the server ends must not leave its dead connection
 * in the pool, where the next caller would get it and answer 503 for nothing.
 */
describe('inPostgresTransaction', () => {
  const database = useDatabase('PostgreSQL');
  let dataSource: DataSource;
  let admin: Client;
  const open = () => new AbortController().signal;
  const pidOf = async (manager: { query(sql: string): Promise<{ pid: number }[]> }) =>
    (await manager.query('SELECT pg_backend_pid() AS pid'))[0].pid;

  beforeEach(async () => {
    const url = await database();
    dataSource = new DataSource({ type: 'postgres', url, extra: { max: 2 } });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE "notes" ("id" serial PRIMARY KEY, "text" varchar(20))');
    admin = new Client({ connectionString: url });
    await admin.connect();
  });
  afterEach(async () => {
    await admin.end();
    await dataSource.destroy();
  });

  it('commits the work, with the bounds set for this transaction only', async () => {
    const seen = await inPostgresTransaction(dataSource, 250, open(), async (manager) => {
      await manager.query(`INSERT INTO "notes" ("text") VALUES ('kept')`);
      return (await manager.query<{ statement_timeout: string }[]>('SHOW statement_timeout'))[0].statement_timeout;
    });
    expect(seen).toBe('250ms');
    expect(await dataSource.query('SELECT "text" FROM "notes"')).toEqual([{ text: 'kept' }]);
    expect((await dataSource.query<{ statement_timeout: string }[]>('SHOW statement_timeout'))[0]).toEqual({
      statement_timeout: '0',
    });
  });

  it('rolls back when the work fails, and when its caller was answered before COMMIT', async () => {
    const failing = inPostgresTransaction(dataSource, 1000, open(), async (manager) => {
      await manager.query(`INSERT INTO "notes" ("text") VALUES ('failed')`);
      throw new Error('the work failed');
    });
    await expect(failing).rejects.toThrow('the work failed');
    const controller = new AbortController();
    const late = inPostgresTransaction(dataSource, 1000, controller.signal, async (manager) => {
      await manager.query(`INSERT INTO "notes" ("text") VALUES ('late')`);
      controller.abort(new Error('answered already'));
    });
    await expect(late).rejects.toThrow('answered already');
    expect(await dataSource.query('SELECT "text" FROM "notes"')).toEqual([]);
  });

  it('a connection whose session the server ended is destroyed, not handed to the next caller', async () => {
    const killed = new Set<number>();
    for (let round = 0; round < 10; round++) {
      const failed = inPostgresTransaction(dataSource, 1000, open(), async (manager) => {
        const pid = await pidOf(manager);
        killed.add(pid);
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        throw new Error('the work failed after the server ended its session');
      });
      await expect(failed).rejects.toThrow('the work failed');
      // At once, as the next request would: a live connection, never the one just ended.
      const next = await inPostgresTransaction(dataSource, 1000, open(), (manager) => pidOf(manager));
      expect(killed.has(next)).toBe(false);
    }
  });
});
