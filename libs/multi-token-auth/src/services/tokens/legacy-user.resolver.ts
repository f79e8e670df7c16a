import type { UserAccessor } from '../../infrastructure/users/user.accessor';
import type { UserId } from '../../contracts/user-id';

/** Why an entry names no user of this app (see `LegacySkipReason`). */
export type LegacyUserProblem = 'unknown_user' | 'user_mismatch' | 'username_missing';

/** The user an entry names; `normalized` when its username is spelled otherwise than the user's stored one. */
export interface ResolvedLegacyUser {
  userId: UserId;
  normalized?: { username: string; storedAs: string };
}

/**
 * The user a legacy entry belongs to. A username is the name people and exports agree on, so it
 * decides; a user id alone is trusted only when the caller says the ids were carried over
 * (`byId`), because an app that numbered its users afresh (one deleted user in the old system is
 * enough) would otherwise hand a key to the wrong person without any sign of it. An id alone is
 * not looked up here: whether it exists is asked under the user's lock, where the token is written.
 */
export async function resolveLegacyUser(
  users: UserAccessor,
  entry: { userId?: UserId; username?: string },
  byId: boolean,
): Promise<ResolvedLegacyUser | { problem: LegacyUserProblem }> {
  const { userId, username } = entry;
  if (typeof username === 'string' && username !== '') {
    // Normalised as login normalises it (the `normalizeUsername` option), so the key reaches the
    // account its holder signs in to.
    const user = await users.findByUsername(username);
    if (!user) return { problem: 'unknown_user' };
    const found = users.idOf(user);
    // Both given: they must name the same user, or the export and this app disagree about who is who.
    if (userId !== undefined && String(userId) !== String(found)) return { problem: 'user_mismatch' };
    // `Bob` reaching `bob` (a normaliser that folds case, trims, NFKC…) is what login does too, but
    // an operator should see it: in Django `Bob` and `bob` can be two people.
    const storedAs = users.usernameOf(user);
    return storedAs === username ? { userId: found } : { userId: found, normalized: { username, storedAs } };
  }
  if (!byId) return { problem: 'username_missing' };
  return userId === undefined ? { problem: 'unknown_user' } : { userId };
}
