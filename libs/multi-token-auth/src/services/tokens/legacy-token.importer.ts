import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import type { AuthClient } from '../../contracts/entities/auth-client.entity';
import { isForeignKeyViolation } from '../../contracts/errors/token-issue.exceptions';
import { AuthEvents } from '../events/auth-events';
import { Clock } from '../../contracts/clock/clock.interface';
import { TokenStore } from '../../contracts/token-store.interface';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { LegacyImportLedger } from './legacy-import.ledger';
import { resolveLegacyUser, type ResolvedLegacyUser } from './legacy-user.resolver';
import { TokenCodec } from '../../pure/tokens/token.codec';
import { expiryOf } from '../../pure/tokens/token-lifetime';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import { type UserId } from '../../contracts/user-id';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/**
 * One token of the old system: its value as clients send it, and whose it is. `username` (as the
 * user signs in; `normalizeUsername` applies) decides; `userId` (this app's key for the user)
 * given with it must name the same user, and alone it is used only with `byId`.
 */
export interface LegacyToken {
  key: string;
  username?: string;
  userId?: UserId;
}

export interface LegacyImportOptions {
  /**
   * Entries without a username are matched by `userId`: only when this app kept the old system's
   * user ids. Default `false`: such entries are skipped as `username_missing`.
   */
  byId?: boolean;
  /** Checks every entry and writes nothing: the result says what the import would do. Default `false`. */
  dryRun?: boolean;
}

/**
 * Why an entry was not imported: `malformed` (no key of the `legacyTokens` format, or neither user
 * field); `unknown_user` (no such username, or id with `byId`); `user_mismatch` (the username's
 * user has another id than `userId`); `username_missing` (an id alone, without `byId`);
 * `duplicate` (the key was imported before, by this import or an earlier one, even if that token
 * was revoked since: an import never brings a revoked key back).
 */
export type LegacySkipReason = 'malformed' | 'unknown_user' | 'user_mismatch' | 'username_missing' | 'duplicate';

export interface LegacyImportResult {
  /** Tokens stored (in a dry run: that would be stored). */
  imported: number;
  /** Entries left out, by their position in the input (0-based), with the user fields given; never their key. */
  skipped: { index: number; userId?: UserId; username?: string; reason: LegacySkipReason }[];
  /**
   * Entries imported (in a dry run: that would be) whose `username` is not spelled as the user's
   * stored username, but reached it through `normalizeUsername` (`Bob` for `bob` when it folds
   * case), by position, with the user's stored username and id. Not a refusal: login finds the same
   * user for both spellings. Check them: in the old system they may have been two people.
   */
  normalized: { index: number; username: string; storedAs: string; userId: UserId }[];
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
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(TokenStore) private readonly store: TokenStore,
    @Inject(Clock) private readonly clock: Clock,
    private readonly codec: TokenCodec,
    private readonly clients: ClientRegistry,
    private readonly events: AuthEvents,
    private readonly ledger: LegacyImportLedger,
    private readonly users: UserAccessor,
  ) {}

  async import(
    entries: Iterable<LegacyToken> | AsyncIterable<LegacyToken>,
    { byId = false, dryRun = false }: LegacyImportOptions = {},
  ): Promise<LegacyImportResult> {
    const legacy = this.options.legacyTokens;
    if (!legacy) {
      throw new Error(
        'multi-token-auth: set the legacyTokens option (format and client) before importing legacy tokens.',
      );
    }
    const client = await this.clients.findOrReload(legacy.client);
    if (!client) throw new Error(`multi-token-auth: the legacyTokens client "${legacy.client}" does not exist.`);
    const result: LegacyImportResult = { imported: 0, skipped: [], normalized: [] };
    // A dry run claims nothing in the ledger, so it remembers the digests it has seen itself
    // (about 100 bytes an entry) to report a key repeated in the input as the import would.
    const seen = dryRun ? new Set<string>() : undefined;
    let index = 0;
    for await (const entry of entries) {
      const outcome = await this.importOne(entry, client, byId, seen);
      if (typeof outcome === 'string') {
        result.skipped.push({ index, ...userFields(entry), reason: outcome });
      } else {
        result.imported++;
        if (outcome.normalized) result.normalized.push({ index, ...outcome.normalized, userId: outcome.userId });
      }
      index++;
    }
    return result;
  }

  private async importOne(
    entry: LegacyToken,
    client: AuthClient,
    byId: boolean,
    seen: Set<string> | undefined,
  ): Promise<LegacySkipReason | ResolvedLegacyUser> {
    const { key, username, userId } = (entry ?? {}) as Partial<LegacyToken>;
    if (typeof key !== 'string' || !this.codec.isLegacy(key)) return 'malformed';
    if (typeof username !== 'string' && userId === undefined) return 'malformed';
    const user = await resolveLegacyUser(this.users, { username, userId }, byId);
    if ('problem' in user) return user.problem;
    const digest = this.codec.digest(key);
    if (seen) return (await this.check(user.userId, digest, seen)) ?? user;
    const now = this.clock.now();
    if (!(await this.ledger.claim(digest, now))) return 'duplicate';
    let outcome;
    try {
      outcome = await this.store.withUserLock(user.userId, async (store) => {
        if (!(await store.findUser(user.userId))) return 'unknown_user' as const;
        return store.insert({
          id: randomUUID(),
          userId: user.userId,
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
    return user;
  }

  /** A dry run's answer for a resolved entry: the same checks, in the same order, with no write. */
  private async check(userId: UserId, digest: string, seen: Set<string>): Promise<LegacySkipReason | undefined> {
    if (seen.has(digest) || (await this.ledger.has(digest))) return 'duplicate';
    if (!(await this.store.withUserLock(userId, (store) => store.findUser(userId)))) return 'unknown_user';
    // Only once it would be stored: the import gives a claim back when the user is unknown.
    seen.add(digest);
    return undefined;
  }
}

/** The user fields of an entry, for its report (the key never leaves the importer). */
function userFields(entry: LegacyToken): { userId?: UserId; username?: string } {
  const { userId, username } = (entry ?? {}) as Partial<LegacyToken>;
  return {
    ...(userId !== undefined && { userId }),
    ...(typeof username === 'string' && { username }),
  };
}
