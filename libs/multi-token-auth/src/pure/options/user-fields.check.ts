import type { DataSource, EntityMetadata } from 'typeorm';
import type { UserOptions } from '../../contracts/multi-token-auth.options';
import { fail } from './option.checks';

type UserFields = Required<Pick<UserOptions, 'entity' | 'idField' | 'usernameField' | 'passwordHashField'>>;

/** The entity's own column properties (no relation's join column, no embedded path), as the options name them. */
function columnProperties(metadata: EntityMetadata): string[] {
  return metadata.columns
    .filter((column) => !column.relationMetadata && !column.embeddedMetadata)
    .map((column) => column.propertyName);
}

/**
 * Checks the `user` field options against the entity's TypeORM metadata once, at start-up: a
 * misspelt or missing field would otherwise surface only at the first login, as a 500.
 */
export function checkUserFields(dataSource: DataSource, user: UserFields): void {
  const entity = user.entity.name;
  if (!dataSource.hasMetadata(user.entity)) {
    fail(
      `user.entity ${entity} is not an entity of the TypeORM data source; add it to the entities of the data source.`,
    );
  }
  const metadata = dataSource.getMetadata(user.entity);
  const columns = columnProperties(metadata);
  const known = `${entity} has the columns ${columns.join(', ')}`;
  const fields: [option: keyof UserFields, what: string][] = [
    ['idField', 'its primary key'],
    ['usernameField', 'the login name'],
    ['passwordHashField', 'the password hash'],
  ];
  for (const [option, what] of fields) {
    const field = user[option] as string;
    if (!columns.includes(field)) {
      fail(
        `user.${option} "${field}" is not a column of ${entity} (${known}); set it to the property that holds ${what}.`,
      );
    }
  }
  // Tokens reference users through a foreign key to the primary key: reading another column as the id would mismatch them.
  const primary = metadata.primaryColumns.map((column) => column.propertyName);
  if (primary.length !== 1 || primary[0] !== user.idField) {
    fail(
      `user.idField "${user.idField}" must be the single primary key column of ${entity} (primary: ${primary.join(', ') || 'none'}), ` +
        'which the tokens table references.',
    );
  }
  // `select: false` hides the hash from every find: each login would then fail as a wrong password.
  if (metadata.findColumnWithPropertyName(user.passwordHashField)?.isSelect === false) {
    fail(
      `user.passwordHashField "${user.passwordHashField}" is declared with select: false on ${entity}, so the library ` +
        'could never read it and every login would fail; remove select: false from that column.',
    );
  }
}
