import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, requireBuiltCli, runCli, type CliRun } from './support/cli.runner';
import { startDemo, type Demo } from './support/demo.harness';

// Each run starts a Nest app in a new process: about 1.5 s on the CI machine.
jest.setTimeout(60_000);

const keyOf = (word: string) => createHash('sha1').update(word).digest('hex');
const digestOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * `npm run cli -- tokens import`, the built CLI in its own process: what it reads (a file, not a
 * pipe; at least one row) and how it reports a row whose username reached a user spelled
 * otherwise. test/cli-import.e2e-spec.ts covers the CSV itself and the matching rules.
 */
describe('CLI tokens import: the input file and respelled usernames', () => {
  let demo: Demo;
  let heidi: { id: number };
  const cli = (args: string[]): Promise<CliRun> => runCli(demo.databaseFile, args);
  /** `printf … | npm run cli -- tokens import /dev/stdin`, through a shell pipe (a FIFO) as users type it. */
  const piped = (csv: string): Promise<CliRun> =>
    new Promise((resolve) => {
      execFile(
        'sh',
        ['-c', 'printf "%s" "$CSV" | node "$CLI" tokens import /dev/stdin'],
        { env: { ...process.env, DATABASE_URL: `sqlite:${demo.databaseFile}`, CSV: csv, CLI } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  const file = (name: string, text: string) => {
    const path = join(demo.dir, name);
    writeFileSync(path, text);
    return path;
  };
  /** Everything an import may write: the token rows and the ledger of imported digests. */
  const written = () => ({
    tokens: demo.db.prepare('SELECT * FROM auth_tokens ORDER BY id').all(),
    ledger: demo.db.prepare('SELECT * FROM auth_legacy_imports ORDER BY digest').all(),
  });

  beforeAll(async () => {
    requireBuiltCli();
    demo = await startDemo();
    heidi = await demo.register('heidi');
  });
  afterAll(() => demo.close());

  it('refuses a pipe (/dev/stdin) in one line, exit 2, before reading it, and writes nothing', async () => {
    const key = keyOf('piped');
    const before = written();
    // Read three times, a pipe was empty from the second read on: "Imported 0 token(s).", exit 0.
    const run = await piped(`username,key\nheidi,${key}\n`);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: /dev/stdin is a pipe, not a file: the import reads the file twice (a check of every line before ' +
        'anything is written, then the import). Save the export to a file and pass its path.\n',
    });
    expect(written()).toEqual(before);
    await demo.http().get('/me').set(demo.auth(key)).expect(401);
  });

  it('refuses a directory and a missing path as usage errors (exit 2)', async () => {
    const directory = join(demo.dir, 'exports');
    mkdirSync(directory, { recursive: true });
    const dir = await cli(['tokens', 'import', directory]);
    expect(dir).toMatchObject({ code: 2, stdout: '' });
    expect(dir.stderr).toBe(
      `error: ${directory} is a directory, not a file: the import reads the file twice (a check of every line ` +
        'before anything is written, then the import). Save the export to a file and pass its path.\n',
    );
    const missing = await cli(['tokens', 'import', join(demo.dir, 'nope.csv')]);
    expect(missing).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `error: cannot read ${join(demo.dir, 'nope.csv')}.\n`,
    });
  });

  it.each([
    ['a header alone', 'username,key\n'],
    ['a header and blank lines', 'user_id,username,key\r\n\r\n\r\n'],
  ])('refuses %s (exit 1, also in a dry run): no rows is not a successful import', async (_case, text) => {
    const path = file('empty.csv', text);
    const before = written();
    for (const args of [[], ['--dry-run']]) {
      const run = await cli(['tokens', 'import', path, ...args]);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: ${path} has a header but no rows: no token to import.\n`,
      });
    }
    expect(written()).toEqual(before);
  });

  it('reports each row whose username reached a user spelled otherwise (dry run too), and imports it', async () => {
    const [upper, exact, wide] = [keyOf('Heidi'), keyOf('heidi'), keyOf('HEIDI')];
    // Django keeps `Heidi` and `heidi` apart; the demo's normalizeUsername folds case (and NFKC).
    const path = file('respelled.csv', `username,key\nHeidi,${upper}\nheidi,${exact}\n"ＨＥＩＤＩ",${wide}\n`);
    const lines = (verb: string) => [
      `normalized line 2 (username "Heidi"): ${verb} to user "heidi" (user ${heidi.id})`,
      `normalized line 4 (username "ＨＥＩＤＩ"): ${verb} to user "heidi" (user ${heidi.id})`,
    ];
    const normalizedLines = (run: CliRun) => run.stderr.split('\n').filter((line) => line.startsWith('normalized'));

    const before = written();
    const dry = await cli(['tokens', 'import', path, '--dry-run']);
    expect(dry).toMatchObject({
      code: 0,
      stdout:
        'Dry run, nothing written: would import 3 token(s).\n' +
        'Would match 2 by a username spelled otherwise than this app stores it.\n',
    });
    expect(normalizedLines(dry)).toEqual(lines('would go'));
    expect(written()).toEqual(before);

    const run = await cli(['tokens', 'import', path]);
    // Imported all the same: login finds heidi for every spelling, so the key reaches her account.
    expect(run).toMatchObject({
      code: 0,
      stdout: 'Imported 3 token(s).\nMatched 2 by a username spelled otherwise than this app stores it.\n',
    });
    expect(normalizedLines(run)).toEqual(lines('went'));
    expect(run.stderr).not.toMatch(/[0-9a-f]{40}/);
    expect(
      demo
        .tokens(heidi.id)
        .map((row) => row.digest)
        .sort(),
    ).toEqual([upper, exact, wide].map(digestOf).sort());
    for (const key of [upper, exact, wide]) {
      const me = await demo.http().get('/me').set(demo.auth(key)).expect(200);
      expect(me.body).toMatchObject({ id: heidi.id, username: 'heidi', client: 'legacy' });
    }
  });
});
