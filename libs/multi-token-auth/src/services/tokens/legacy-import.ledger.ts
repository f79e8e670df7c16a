import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../contracts/errors/token-issue.exceptions';
import { AUTH_LEGACY_IMPORTS_TABLE } from '../../contracts/multi-token-auth.constants';

/**
 * The digests of every legacy token ever imported (`auth_legacy_imports`). Revoking a token deletes
 * its row, so this is what keeps a second import of the same export from bringing revoked keys back.
 */
@Injectable()
export class LegacyImportLedger {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the digest; `false` if it was imported before (now or by another process at once). */
  async claim(digest: string, now: Date): Promise<boolean> {
    try {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(AUTH_LEGACY_IMPORTS_TABLE, ['digest', 'imported_at'])
        .values({ digest, imported_at: now })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Whether the digest was imported before: what a dry run asks instead of claiming it. */
  async has(digest: string): Promise<boolean> {
    const found = await this.dataSource
      .createQueryBuilder()
      .select('digest')
      .from(AUTH_LEGACY_IMPORTS_TABLE, 'imports')
      .where('digest = :digest', { digest })
      .getRawOne<{ digest: string }>();
    return Boolean(found);
  }

  /** Gives a claim back when its token could not be stored (no such user): a later import may try again. */
  async release(digest: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(AUTH_LEGACY_IMPORTS_TABLE)
      .where('digest = :digest', { digest })
      .execute();
  }
}
