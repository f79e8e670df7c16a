import { DataSource } from 'typeorm';
import { AUTH_LEGACY_IMPORTS_TABLE } from '../../contracts/multi-token-auth.constants';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TestUser } from '../../testing/test-user.entity';
import { TokenService } from './token.service';
import { TokenVerifier } from './token.verifier';

const key = (char: string) => char.repeat(40);

describe.each(DATABASES)('LegacyTokenImporter on %s', (kind) => {
  const database = useDatabase(kind);
  let fixture: Fixture;
  let tokens: TokenService;
  let alice: TestUser;
  let bob: TestUser;

  beforeEach(async () => {
    fixture = await setup(
      {
        clients: [{ name: 'web' }, { name: 'api', tokenTtl: null }, { name: 'legacy', tokenTtl: null }],
        legacyTokens: { format: { alphabet: /[0-9a-f]/, length: 40 }, client: 'legacy' },
        // Stored lower-case and looked up the same way, as login does.
        user: { entity: TestUser, normalizeUsername: (name) => name.toLowerCase() },
      },
      { postgresUrl: await database() },
    );
    tokens = fixture.module.get(TokenService);
    // Ids that differ from the old system's: a deleted user there shifts every id after it.
    await fixture.createUser('placeholder');
    alice = await fixture.createUser('alice');
    bob = await fixture.createUser('bob');
  });
  afterEach(() => fixture.close());

  const stored = async () =>
    (await fixture.tokens.find({ relations: { client: true } })).map((row) => ({
      userId: row.userId,
      client: row.client.name,
      digest: row.digest,
    }));
  const ledgerSize = async () =>
    Number(
      (
        await fixture.module
          .get(DataSource)
          .query<{ n: string | number }[]>(`SELECT COUNT(*) AS n FROM ${AUTH_LEGACY_IMPORTS_TABLE}`)
      )[0]?.n,
    );
  const whoseIs = async (value: string) => (await fixture.module.get(TokenVerifier).verify(value)).user;

  it('matches by username as login normalises it, reports the entries spelled otherwise, and the key then authenticates as that user', async () => {
    const rows = [
      { username: 'Alice', key: key('a') },
      { username: 'bob', key: key('b') },
      { username: 'BOB', userId: bob.id, key: key('c') },
      { username: 'CAROL', key: key('d') }, // unknown: skipped, not reported as normalized
    ];
    const expected = {
      imported: 3,
      skipped: [{ index: 3, username: 'CAROL', reason: 'unknown_user' }],
      normalized: [
        { index: 0, username: 'Alice', storedAs: 'alice', userId: alice.id },
        { index: 2, username: 'BOB', storedAs: 'bob', userId: bob.id },
      ],
    };
    await expect(tokens.importLegacyTokens(rows, { dryRun: true })).resolves.toEqual(expected);
    await expect(tokens.importLegacyTokens(rows)).resolves.toEqual(expected);
    await expect(whoseIs(key('a'))).resolves.toMatchObject({ id: alice.id, username: 'alice' });
    await expect(whoseIs(key('c'))).resolves.toMatchObject({ id: bob.id, username: 'bob' });
  });

  it('skips a row whose user_id names another user than its username, and one whose username is unknown', async () => {
    const result = await tokens.importLegacyTokens([
      { username: 'alice', userId: bob.id, key: key('a') },
      { username: 'alice', userId: String(alice.id), key: key('b') },
      { username: 'carol', key: key('c') },
    ]);
    expect(result).toEqual({
      imported: 1,
      skipped: [
        { index: 0, userId: bob.id, username: 'alice', reason: 'user_mismatch' },
        { index: 2, username: 'carol', reason: 'unknown_user' },
      ],
      normalized: [],
    });
    expect(await stored()).toEqual([
      { userId: alice.id, client: 'legacy', digest: fixture.module.get(TokenService).codec.digest(key('b')) },
    ]);
    // Nothing claimed for the skipped rows: fixed and imported again, they go in.
    await expect(tokens.importLegacyTokens([{ username: 'bob', userId: bob.id, key: key('a') }])).resolves.toEqual({
      imported: 1,
      skipped: [],
      normalized: [],
    });
    await expect(whoseIs(key('a'))).resolves.toMatchObject({ id: bob.id });
  });

  it('trusts an id alone only with byId', async () => {
    const rows = [
      { userId: alice.id, key: key('a') },
      { userId: 999_999, key: key('b') },
    ];
    await expect(tokens.importLegacyTokens(rows)).resolves.toEqual({
      imported: 0,
      skipped: [
        { index: 0, userId: alice.id, reason: 'username_missing' },
        { index: 1, userId: 999_999, reason: 'username_missing' },
      ],
      normalized: [],
    });
    expect(await stored()).toEqual([]);
    await expect(tokens.importLegacyTokens(rows, { byId: true })).resolves.toEqual({
      imported: 1,
      skipped: [{ index: 1, userId: 999_999, reason: 'unknown_user' }],
      normalized: [],
    });
    await expect(whoseIs(key('a'))).resolves.toMatchObject({ id: alice.id });
  });

  it('a dry run reports what the import then does, and writes nothing', async () => {
    await tokens.importLegacyTokens([{ username: 'bob', key: key('e') }]);
    const before = { rows: await stored(), ledger: await ledgerSize() };
    const rows = [
      { username: 'alice', key: key('a') },
      { username: 'alice', key: key('a') }, // the same key again
      { username: 'bob', key: key('e') }, // imported before
      { userId: 999_999, key: key('c') }, // unknown id: a later row with the key may still take it
      { userId: bob.id, key: key('c') },
      { username: 'alice', key: 'A'.repeat(40) },
      { username: 'alice', userId: bob.id, key: key('d') },
    ];
    const dry = await tokens.importLegacyTokens(rows, { byId: true, dryRun: true });
    expect(dry.imported).toBe(2);
    expect(dry.skipped.map((skip) => skip.reason)).toEqual([
      'duplicate',
      'duplicate',
      'unknown_user',
      'malformed',
      'user_mismatch',
    ]);
    expect({ rows: await stored(), ledger: await ledgerSize() }).toEqual(before);
    await expect(tokens.importLegacyTokens(rows, { byId: true })).resolves.toEqual(dry);
    expect(await ledgerSize()).toBe(3);
  });

  it('refuses entries with no key of the format or no user field', async () => {
    const rows = [{ key: key('a') }, { username: 'alice', key: 'short' }] as { key: string; username?: string }[];
    await expect(tokens.importLegacyTokens(rows)).resolves.toEqual({
      imported: 0,
      skipped: [
        { index: 0, reason: 'malformed' },
        { index: 1, username: 'alice', reason: 'malformed' },
      ],
      normalized: [],
    });
  });
});
