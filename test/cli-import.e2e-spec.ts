import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LastUsedTracker } from '../libs/multi-token-auth/src/services/tokens/last-used.tracker';
import { requireBuiltCli, runCli, type CliRun } from './support/cli.runner';
import { startDemo, type Demo } from './support/demo.harness';

// Each run starts a Nest app in a new process: about 1.5 s on the CI machine.
jest.setTimeout(60_000);

/** A 40-hex key, like DRF's, made from a word. */
const keyOf = (word: string) => createHash('sha1').update(word).digest('hex');
const digestOf = (key: string) => createHash('sha256').update(key).digest('hex');
const RESPELLED = (n: number) => `Matched ${n} by a username spelled otherwise than this app stores it.`;

/**
 * `npm run cli -- tokens import`: the built CLI in its own process on the running demo's SQLite
 * file. The demo numbered its users afresh (a user registered before them shifts every id), as a
 * new app does; the keys must reach the people they belong to, or not be imported.
 */
describe('CLI tokens import (legacy keys)', () => {
  let demo: Demo;
  let erin: { id: number }, frank: { id: number }, grace: { id: number };
  const cli = (...args: string[]): Promise<CliRun> => runCli(demo.databaseFile, args);
  const file = (name: string, text: string | Buffer) => {
    const path = join(demo.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const skippedLines = (run: CliRun) => run.stderr.split('\n').filter((line) => line.startsWith('skipped'));
  /** Everything an import may write: the token rows and the ledger of imported digests. */
  const written = () => ({
    tokens: demo.db.prepare('SELECT * FROM auth_tokens ORDER BY id').all(),
    ledger: demo.db.prepare('SELECT * FROM auth_legacy_imports ORDER BY digest').all(),
  });
  const whoHas = async (key: string) => {
    const { body } = await demo.http().get('/me').set(demo.auth(key)).expect(200);
    // The use's lastUsedAt, written now: not within 200 ms, in the middle of a later snapshot of the table.
    await demo.app.get(LastUsedTracker).flush();
    return body;
  };

  beforeAll(async () => {
    requireBuiltCli();
    demo = await startDemo();
    await demo.register('placeholder');
    erin = await demo.register('erin');
    frank = await demo.register('frank');
    grace = await demo.register('grace');
  });
  afterAll(() => demo.close());

  it("reads a DRF export as Python's csv module writes it (QUOTE_ALL, CRLF, BOM) and matches users by username", async () => {
    const [keyE, keyF, keyN] = [keyOf('erin'), keyOf('frank'), keyOf('nobody')];
    // What csv.writer(f, quoting=csv.QUOTE_ALL) writes (checked on Python 3.11), after the BOM that
    // `encoding="utf-8-sig"` adds: every field quoted, quotes inside doubled, CRLF.
    const rows = [
      ['user_id', 'username', 'key', 'note'],
      [erin.id, 'Erin', keyE, 'said "hi", twice'], // the username as the old system spelled it
      [erin.id, 'frank', keyF, ''], // frank with erin's id: the export and this app disagree
      [erin.id, 'Erin', keyE, ''],
      [4242, 'nobody', keyN, ''],
      [frank.id, 'frank', keyF.slice(1), ''],
    ];
    const csv = rows.map((row) => row.map((cell) => `"${String(cell).replaceAll('"', '""')}"`).join(',')).join('\r\n');
    const path = file('authtoken.csv', `\uFEFF${csv}\r\n"7"\r\n`);
    expect(readFileSync(path, 'latin1')).toContain('"said ""hi"", twice"\r\n');

    const run = await cli('tokens', 'import', path);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `Imported 1 token(s).\n${RESPELLED(1)}\nSkipped 5: duplicate 1, malformed 2, unknown_user 1, user_mismatch 1.\n`,
    );
    expect(skippedLines(run)).toEqual([
      `skipped line 3 (username "frank", user ${erin.id}): user_mismatch`,
      `skipped line 4 (username "Erin", user ${erin.id}): duplicate`,
      'skipped line 5 (username "nobody", user 4242): unknown_user',
      `skipped line 6 (username "frank", user ${frank.id}): malformed`,
      'skipped line 7: malformed (1 field(s) where the header has 4)',
    ]);
    // In the audit trail by token id, never by key.
    expect(run.stderr).toMatch(new RegExp(`^audit: token [0-9a-f-]{36} created for user ${erin.id} \\(legacy\\)`, 'm'));
    expect(run.stdout + run.stderr).not.toMatch(/[0-9a-f]{39}/);

    expect(demo.tokens(erin.id)).toEqual([
      expect.objectContaining({ client_id: demo.clientId('legacy'), digest: digestOf(keyE), expires_at: null }),
    ]);
    expect(demo.tokens(frank.id)).toEqual([]);
    expect(JSON.stringify(demo.tokens())).not.toContain(keyE);
    expect(await whoHas(keyE)).toMatchObject({ id: erin.id, username: 'erin', client: 'legacy' });
    // As DRF's clients send it.
    await demo.http().get('/me').set('Authorization', `Token ${keyE}`).expect(200);
    await demo.http().get('/me').set(demo.auth(keyF)).expect(401);
    const sessions = await demo.http().get('/auth/sessions').set(demo.auth(keyE)).expect(200);
    expect(sessions.body).toEqual([expect.objectContaining({ client: 'legacy', current: true })]);
    // Nobody signs in to the legacy client: its tokens are only imported.
    const login = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'erin', password: 'correct horse', client: 'legacy' });
    expect(login.body).toMatchObject({ statusCode: 400, code: 'legacy_client_login' });
    // An imported token is not a recent sign-in: making an API key with it takes the password.
    const apiKey = await demo.http().post('/auth/api-keys').set(demo.auth(keyE)).send({ name: 'from-legacy' });
    expect(apiKey.body).toMatchObject({ code: 'password_required' });
    // A 40-hex value that was never imported, and a shape that is neither format.
    await demo
      .http()
      .get('/me')
      .set(demo.auth('c'.repeat(40)))
      .expect(401);
    await demo.http().get('/me').set(demo.auth(keyE.toUpperCase())).expect(401);
  });

  it('never brings a revoked key back: the same export imported again after logout skips it', async () => {
    const key = keyOf('erin');
    await demo.http().post('/auth/logout').set(demo.auth(key)).expect(204);
    const path = file('again.csv', `username,key\nerin,${key}\n`);
    const again = await cli('tokens', 'import', path);
    expect(again).toMatchObject({ code: 1, stdout: 'Imported 0 token(s).\nSkipped 1: duplicate 1.\n' });
    expect(skippedLines(again)).toEqual(['skipped line 2 (username "erin"): duplicate']);
    await demo.http().get('/me').set(demo.auth(key)).expect(401);
    expect(demo.tokens(erin.id)).toEqual([]);
  });

  it('reads columns in any order with extra ones, LF line ends and usernames only', async () => {
    const [keyF, keyG] = [keyOf('frank-2'), keyOf('grace')];
    // In the old system frank was user 3 and grace user 4: by id, each would get the other's key here.
    const path = file(
      'by-name.csv',
      `created,key,username\n2019-04-01 10:00:00,${keyG},grace\n2019-04-02,${keyF},FRANK\n`,
    );
    const run = await cli('tokens', 'import', path);
    expect(run).toMatchObject({ code: 0, stdout: `Imported 2 token(s).\n${RESPELLED(1)}\n` });
    expect(skippedLines(run)).toEqual([]);
    expect(demo.tokens(grace.id).map((row) => row.digest)).toEqual([digestOf(keyG)]);
    expect(demo.tokens(frank.id).map((row) => row.digest)).toEqual([digestOf(keyF)]);
    expect(await whoHas(keyG)).toMatchObject({ id: grace.id, username: 'grace' });
    expect(await whoHas(keyF)).toMatchObject({ id: frank.id, username: 'frank' });
  });

  it('refuses a file of ids only unless --by-id says the ids were kept; with it, the id decides', async () => {
    const key = keyOf('by-id');
    const path = file('ids.csv', `user_id,key\n${grace.id},${key}\n`);
    const before = written();
    const refused = await cli('tokens', 'import', path);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^error: .*ids\.csv has user_id but no username column: .* pass --by-id if /);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(written()).toEqual(before);

    const run = await cli('tokens', 'import', path, '--by-id');
    expect(run).toMatchObject({ code: 0, stdout: 'Imported 1 token(s).\n' });
    expect(await whoHas(key)).toMatchObject({ id: grace.id, username: 'grace' });
  });

  it('--dry-run says what would be imported, by reason, writes nothing, and the import then does just that', async () => {
    const [keyA, keyB] = [keyOf('dry-a'), keyOf('dry-b')];
    const path = file(
      'dry.csv',
      [
        'username,user_id,key',
        `erin,${erin.id},${keyA}`,
        `grace,,${keyB}`,
        `frank,${grace.id},${keyOf('dry-c')}`,
        `erin,${erin.id},${keyOf('erin')}`, // imported by the first spec
      ].join('\n'),
    );
    const before = written();
    const dry = await cli('tokens', 'import', path, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe(
      'Dry run, nothing written: would import 2 token(s).\nWould skip 2: duplicate 1, user_mismatch 1.\n',
    );
    expect(skippedLines(dry)).toEqual([
      `skipped line 4 (username "frank", user ${grace.id}): user_mismatch`,
      `skipped line 5 (username "erin", user ${erin.id}): duplicate`,
    ]);
    expect(dry.stderr).not.toMatch(/^audit:/m);
    expect(written()).toEqual(before);
    await demo.http().get('/me').set(demo.auth(keyA)).expect(401);

    const run = await cli('tokens', 'import', path);
    expect(run.stdout).toBe('Imported 2 token(s).\nSkipped 2: duplicate 1, user_mismatch 1.\n');
    expect(skippedLines(run)).toEqual(skippedLines(dry));
    expect(await whoHas(keyA)).toMatchObject({ username: 'erin' });
    expect(await whoHas(keyB)).toMatchObject({ username: 'grace' });
  });

  it('a line of 300 MB is one line of error, read as a stream, and nothing is written', async () => {
    const path = join(demo.dir, 'huge.csv');
    const fd = openSync(path, 'w');
    const megabyte = Buffer.alloc(1 << 20, 'a');
    try {
      writeSync(fd, 'user_id,username,key\n');
      for (let i = 0; i < 300; i++) writeSync(fd, megabyte);
      closeSync(fd);
      const rssFile = join(demo.dir, 'rss.txt');
      const preload = file(
        'rss.cjs',
        `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
      );
      const peakMb = () => Number(readFileSync(rssFile, 'utf8')) / 1024;
      // The same CLI refusing a line of 70 KB: its own baseline (Nest, TypeORM, SQLite) on this machine.
      const small = file(
        'long-line.csv',
        `user_id,username,key
${'a'.repeat(70_000)}
`,
      );
      const baseline = await runCli(demo.databaseFile, ['tokens', 'import', small], { nodeArgs: ['-r', preload] });
      expect(baseline.code).toBe(1);
      const baselineMb = peakMb();
      const before = written();
      const run = await runCli(demo.databaseFile, ['tokens', 'import', path], { nodeArgs: ['-r', preload] });
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: ${path} line 2 is longer than 65536 bytes, the limit for one line: not a token export.\n`,
      });
      expect(written()).toEqual(before);
      // The whole line held as a string (or a buffer) would add 300 MB to the baseline; read as a
      // stream it adds a few chunks. Compared with this machine's baseline, not an absolute figure.
      expect(peakMb() - baselineMb).toBeLessThan(100);
    } finally {
      rmSync(path, { force: true });
    }
  });

  it.each([
    [
      'a line of commas only (no field grows)',
      `user_id,username,key\n${','.repeat(100_000)}\n`,
      /line 2 is longer than 65536 bytes, the limit for one line/,
    ],
    [
      'a quoted field over many short lines',
      `user_id,username,key\n1,"${'a\n'.repeat(40_000)}",k\n`,
      /line 32770 ends a row longer than 65536 bytes, the limit for one row/,
    ],
    [
      'a quoted field never closed, after a good row',
      `username,key\nerin,${keyOf('q')}\ngrace,"${keyOf('r')}\n`,
      /line 3 is not valid CSV: a quoted field is never closed/,
    ],
    [
      'no header',
      `erin,${keyOf('s')}\n`,
      /the first line must be a header naming key and username and\/or user_id .* it names none of them/,
    ],
  ])('refuses %s with one line, before writing anything', async (_case, text, message) => {
    const path = file('bad.csv', text);
    const before = written();
    const run = await cli('tokens', 'import', path);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    // Never the file's content: a field may hold a key.
    expect(run.stderr).not.toMatch(/[0-9a-f]{40}/);
    expect(written()).toEqual(before);
  });
});
