import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AUTH_CLIENTS_TABLE, AUTH_TOKENS_TABLE } from '../../contracts/multi-token-auth.constants';

/**
 * Adds scopes: `auth_tokens.scopes` and `auth_clients.scopes` / `default_scopes` (space-separated
 * text, nullable). Existing rows get `NULL`, which means "no restriction of its own": an existing
 * token keeps every scope of its client, and an existing client restricts nothing, so apps that
 * never use scopes see no change.
 */
export class AddTokenScopes9000000000002 implements MigrationInterface {
  name = 'AddTokenScopes9000000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(AUTH_TOKENS_TABLE, new TableColumn({ name: 'scopes', type: 'text', isNullable: true }));
    await queryRunner.addColumns(AUTH_CLIENTS_TABLE, [
      new TableColumn({ name: 'scopes', type: 'text', isNullable: true }),
      new TableColumn({ name: 'default_scopes', type: 'text', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(AUTH_CLIENTS_TABLE, 'default_scopes');
    await queryRunner.dropColumn(AUTH_CLIENTS_TABLE, 'scopes');
    await queryRunner.dropColumn(AUTH_TOKENS_TABLE, 'scopes');
  }
}
