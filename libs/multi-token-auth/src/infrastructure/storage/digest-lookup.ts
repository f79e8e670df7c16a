import type { DataSource, EntityMetadata } from 'typeorm';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { digestQuery, type DigestQuery } from './digest-query.runner';

type ColumnMetadata = EntityMetadata['columns'][number];

/** One selected column: where it comes from and how it is read back. */
interface Selected {
  alias: string;
  column: ColumnMetadata;
}

/**
 * The hot-path query: one indexed lookup by digest, joined to the app's user, with an explicit
 * column list built once from the entity metadata and a small mapper that hydrates through the
 * driver's own `prepareHydratedValue` (booleans and dates come back typed on SQLite and
 * PostgreSQL alike). No query builder per request, no TypeORM internal modules; the statement runs
 * on the driver underneath (`digestQuery`: prepared once, named on PostgreSQL).
 */
export class DigestLookup {
  private readonly query: DigestQuery;
  private readonly userMetadata: EntityMetadata;
  private readonly tokenColumns: Selected[];
  private readonly userColumns: Selected[];
  private readonly userIdColumn: Selected;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokenMetadata: EntityMetadata,
    timeoutMs?: number,
  ) {
    const relation = tokenMetadata.findRelationWithPropertyPath('user');
    const joinColumn = relation?.joinColumns[0];
    const userKey = joinColumn?.referencedColumn;
    if (!relation || !joinColumn || !userKey)
      throw new Error('multi-token-auth: the token entity has no user relation.');
    this.userMetadata = relation.inverseEntityMetadata;
    let next = 0;
    const select = (column: ColumnMetadata): Selected => ({ alias: `c${next++}`, column });
    // Virtual columns are relation-only foreign keys (the token's `user`): read separately, or not at all.
    this.tokenColumns = tokenMetadata.columns.filter((column) => !column.isVirtual).map(select);
    this.userIdColumn = { alias: `c${next++}`, column: userKey };
    this.userColumns = this.userMetadata.columns.filter((column) => !column.isVirtual).map(select);

    const { driver } = dataSource;
    const q = (name: string) => driver.escape(name);
    const list = [
      ...this.tokenColumns.map(({ alias, column }) => `t.${q(column.databaseName)} AS ${q(alias)}`),
      `t.${q(joinColumn.databaseName)} AS ${q(this.userIdColumn.alias)}`,
      ...this.userColumns.map(({ alias, column }) => `u.${q(column.databaseName)} AS ${q(alias)}`),
    ];
    const digest = this.tokenColumns.find(({ column }) => column.propertyName === 'digest');
    if (!digest) throw new Error('multi-token-auth: the token entity has no digest column.');
    const statement =
      `SELECT ${list.join(', ')} FROM ${q(tokenMetadata.tablePath)} t ` +
      `INNER JOIN ${q(this.userMetadata.tablePath)} u ON u.${q(userKey.databaseName)} = t.${q(joinColumn.databaseName)}`;
    const digestColumn = `t.${q(digest.column.databaseName)}`;
    this.query = digestQuery(dataSource, { select: statement, digestColumn, digestAlias: digest.alias }, timeoutMs);
  }

  async find(digest: string): Promise<AuthToken | null> {
    const row = await this.query(digest);
    if (!row) return null;
    const token = this.hydrate(this.tokenMetadata, this.tokenColumns, row) as AuthToken;
    token.user = this.hydrate(this.userMetadata, this.userColumns, row);
    token.userId = this.value(this.userIdColumn, row) as AuthToken['userId'];
    return token;
  }

  private hydrate(metadata: EntityMetadata, columns: Selected[], row: Record<string, unknown>): object {
    const entity = metadata.create() as object;
    for (const selected of columns) selected.column.setEntityValue(entity, this.value(selected, row));
    return entity;
  }

  private value({ alias, column }: Selected, row: Record<string, unknown>): unknown {
    return this.dataSource.driver.prepareHydratedValue(row[alias], column);
  }
}
