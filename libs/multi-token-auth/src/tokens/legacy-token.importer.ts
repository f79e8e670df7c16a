import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ClientRegistry } from '../clients/client.registry';
import type { AuthClient } from '../entities/auth-client.entity';
import { isForeignKeyViolation } from '../errors/token-issue.exceptions';
import { AuthEvents } from '../events/auth-events';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { Clock } from '../clock/clock.interface';
import { TokenStore } from '../storage/token-store.interface';
import type { UserId } from '../users/user.accessor';
import { LegacyImportLedger } from './legacy-import.ledger';
import { TokenCodec } from './token.codec';
import { expiryOf } from './token-lifetime';

/** One token of the old system: whose it is and its value as clients send it. */
export interface LegacyToken {
  userId: UserId;
  key: string;
}

/**
 * Why an entry was not imported: `duplicate` when its key was imported before, by this import or an
 * earlier one (even if that token was revoked since: an import never brings a revoked key back).
 */
export type LegacySkipReason = 'malformed' | 'unknown_user' | 'duplicate';

export interface LegacyImportResult {
  imported: number;
  /** Entries left out, by their position in the input (0-based); never their key. */
  skipped: { index: number; userId: UserId; reason: LegacySkipReason }[];
}

/**
 * Imports the tokens of a system with one plaintext token per user (DRF's authtoken and its
 * copies) so their holders stay signed in: only each key's SHA-256 digest is stored, under the
 * `legacyTokens` client, and the key keeps working as a bearer token. Each entry is written under
 * its user's issue lock, like a login; client limits are not applied (an import revokes nothing).
 */
@Injectable()
export class LegacyTokenImporter {
  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(TokenStore) private readonly store: TokenStore,
    @Inject(Clock) private readonly clock: Clock,
    private readonly codec: TokenCodec,
    private readonly clients: ClientRegistry,
    private readonly events: AuthEvents,
    private readonly ledger: LegacyImportLedger,
  ) {}

  async import(entries: Iterable<LegacyToken> | AsyncIterable<LegacyToken>): Promise<LegacyImportResult> {
    const legacy = this.options.legacyTokens;
    if (!legacy) {
      throw new Error(
        'multi-token-auth: set the legacyTokens option (format and client) before importing legacy tokens.',
      );
    }
    const client = await this.clients.findOrReload(legacy.client);
    if (!client) throw new Error(`multi-token-auth: the legacyTokens client "${legacy.client}" does not exist.`);
    const result: LegacyImportResult = { imported: 0, skipped: [] };
    let index = 0;
    for await (const { userId, key } of entries) {
      const reason = await this.importOne(userId, key, client);
      if (reason) result.skipped.push({ index, userId, reason });
      else result.imported++;
      index++;
    }
    return result;
  }

  private async importOne(userId: UserId, key: string, client: AuthClient): Promise<LegacySkipReason | undefined> {
    if (typeof key !== 'string' || !this.codec.isLegacy(key)) return 'malformed';
    const digest = this.codec.digest(key);
    const now = this.clock.now();
    if (!(await this.ledger.claim(digest, now))) return 'duplicate';
    let outcome;
    try {
      outcome = await this.store.withUserLock(userId, async (store) => {
        if (!(await store.findUser(userId))) return 'unknown_user' as const;
        return store.insert({
          id: randomUUID(),
          userId,
          clientId: client.id,
          name: null,
          digest,
          createdAt: now,
          expiresAt: expiryOf(client, now, now),
          userAgent: null,
          ip: null,
          scopes: client.defaultScopes ?? client.scopes,
        });
      });
    } catch (error) {
      await this.ledger.release(digest);
      // The user was deleted between the check and the insert (by the app, in another process).
      if (isForeignKeyViolation(error)) return 'unknown_user';
      throw error;
    }
    if (outcome === 'unknown_user') await this.ledger.release(digest);
    if (typeof outcome === 'string') return outcome;
    outcome.client = client;
    this.events.tokenCreated(outcome, false);
    return undefined;
  }
}
