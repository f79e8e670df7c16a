import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientRegistry } from 'nestjs-multi-token-auth';
import { startDemo, type Demo } from './support/demo.harness';

const CLI = join(__dirname, '..', 'dist', 'apps', 'demo', 'src', 'cli', 'cli.main.js');
const DAY = 86_400;

// Each run starts a Nest app in a new process: about 1.5 s on the CI machine.
jest.setTimeout(60_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface ClientRow {
  id: number;
  name: string;
  token_ttl: number | null;
  max_tokens_per_user: number | null;
  throttle_rate: string | null;
  scopes: string | null;
}

/**
 * `npm run cli --`: the built CLI as a user runs it, a separate process on the demo's SQLite file
 * while the demo serves it. Checked: exit codes, what it prints (never a token), the rows it leaves,
 * and what the running demo then does.
 */
describe('CLI (clients, tokens purge|revoke|import)', () => {
  let demo: Demo;
  const cli = (...args: string[]): Promise<Run> => cliWith({}, ...args);
  const cliWith = (env: Record<string, string>, ...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      // `node` from PATH, as `npm run cli` does: under test:nest12 Jest itself runs on Node 24, while
      // the demo's native modules are built for the system Node.
      execFile(
        'node',
        [CLI, ...args],
        { env: { ...process.env, DATABASE_URL: `sqlite:${demo.databaseFile}`, ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  const client = (name: string) =>
    demo.db.prepare('SELECT * FROM auth_clients WHERE name = ?').get(name) as ClientRow | undefined;

  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error('Build first (npm run build): the spec runs the CLI as users do, from dist/.');
    demo = await startDemo();
    await demo.register('alice');
  });
  afterAll(() => demo.close());

  it('creates a client the running demo signs in to at once, with human durations', async () => {
    const run = await cli('clients', 'create', 'partner', '--ttl', '14d', '--throttle', '100/m', '--max-tokens', '1');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/partner\s+2w\s+-\s+-\s+100\/m\s+1\s/);
    expect(client('partner')).toMatchObject({ token_ttl: 14 * DAY, max_tokens_per_user: 1, throttle_rate: '100/m' });
    const login = await demo.login('alice', 'partner');
    expect(Date.parse(login.expiresAt ?? '')).toBe(demo.clock.now().getTime() + 14 * DAY * 1000);
  });

  it.each([
    [
      ['clients', 'create', 'x', '--ttl', 'banana'],
      /--ttl "banana": expected a whole number with a unit \(30s, 15m, 12h, 14d, 2w\), or never/,
    ],
    [['clients', 'create', 'y', '--throttle', 'lots'], /--throttle "lots": expected N\/s/],
    [['clients', 'create', 'z', '--max-tokens', '0'], /--max-tokens "0": expected a whole number >= 1, or none/],
    [['clients', 'update', 'partner'], /nothing to change/],
    [['tokens', 'revoke'], /--user <id> is required/],
    [['tokens', 'revoke', '--user', 'abc'], /expected a user id/],
    [['clients', 'create', 'q', '--bogus'], /unknown option '--bogus'/],
    [['clients'], /Usage: npm run cli -- clients/],
    [['tokens', 'revoke', '--user', '1', '[--client', 'mobile]'], /too many arguments/],
    [['clients', 'create', 'w', '--ttl', '999999999w'], /at most 2147483647s/],
    [['tokens', 'purge', '--older-than', '9999d'], /at most 3650d/],
    [['tokens', 'revoke', '--user', '9007199254740993'], /expected a user id/],
  ])('%j is a usage error: exit code 2, and nothing written', async (args, message) => {
    const before = demo.db.prepare('SELECT COUNT(*) AS n FROM auth_clients').get();
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(demo.db.prepare('SELECT COUNT(*) AS n FROM auth_clients').get()).toEqual(before);
  });

  it('refuses with exit code 1 what it cannot do: a client the options set, a taken name, a rule broken', async () => {
    const web = await cli('clients', 'update', 'web', '--ttl', '1d');
    expect(web).toMatchObject({ code: 1 });
    expect(web.stderr).toMatch(/"web" is set by the module's clients option/);
    expect(client('web')?.token_ttl).toBe(DAY);
    expect((await cli('clients', 'create', 'partner')).stderr).toMatch(/already exists/);
    const rule = await cli('clients', 'update', 'partner', '--default-scopes', 'orders:read');
    expect(rule).toMatchObject({ code: 1 });
    expect(rule.stderr).toMatch(/defaultScopes needs scopes/);
    expect((await cli('clients', 'delete', 'nobody')).stderr).toMatch(/There is no client "nobody"/);
  });

  it('updates only the settings given and lists every client with what sets it', async () => {
    expect((await cli('clients', 'update', 'partner', '--ttl', 'never', '--scopes', 'orders:read')).code).toBe(0);
    expect(client('partner')).toMatchObject({ token_ttl: null, throttle_rate: '100/m', scopes: 'orders:read' });
    const list = await cli('clients', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/partner\s+never\s.*orders:read.*\s1\s+database/);
    expect(list.stdout).toMatch(/^web\s+1d\s.*\s0\s+options$/m);
  });

  it('delete refuses while tokens exist, saying how many; --force ends them and the demo refuses them', async () => {
    const { token } = await demo.login('alice', 'partner', { name: 'partner-app' });
    const refused = await cli('clients', 'delete', 'partner');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/has 1 unexpired token\(s\); --force revokes them/);
    expect(client('partner')).toBeDefined();
    await demo.http().get('/me').set(demo.auth(token)).expect(200);
    const forced = await cli('clients', 'delete', 'partner', '--force');
    expect(forced).toMatchObject({ code: 0, stdout: 'Deleted client partner; 1 token(s) revoked.\n' });
    expect(forced.stderr).toMatch(/^audit: token [0-9a-f-]{36} of user \d+ \(partner\) revoked: client-delete$/m);
    expect(client('partner')).toBeUndefined();
    expect(demo.tokens().filter((row) => row.name === 'partner-app')).toEqual([]);
    // Another process without Redis: the demo's cache may serve the token until its TTL (60 s), no longer.
    demo.clock.advance(61_000);
    await demo.http().get('/me').set(demo.auth(token)).expect(401);
    // The demo still had the client in memory: a login to it is a 400, never a database error.
    const login = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'partner' });
    expect(login.status).toBe(400);
    expect(login.body).toMatchObject({ code: 'unknown_client' });
  });

  it("a CLI run with other AUTH_CLIENTS rewrites the rows, but the running demo keeps its own clients' settings", async () => {
    const other = JSON.stringify([
      { name: 'web', tokenTtl: 31_536_000 },
      { name: 'legacy', tokenTtl: null },
    ]);
    expect((await cliWith({ AUTH_CLIENTS: other }, 'clients', 'list')).code).toBe(0);
    expect(client('web')?.token_ttl).toBe(31_536_000);
    // The demo reloads its clients from the database (as a login naming a client it does not know yet makes it do).
    await demo.app.get(ClientRegistry).reload();
    const login = await demo.login('alice', 'web');
    expect(Date.parse(login.expiresAt ?? '')).toBe(demo.clock.now().getTime() + DAY * 1000);
  });

  it('tokens revoke --user ends every token of that user, --client only that client', async () => {
    const bob = await demo.register('bob');
    const web = await demo.login('bob', 'web');
    await demo.login('bob', 'mobile');
    expect((await cli('tokens', 'revoke', '--user', String(bob.id), '--client', 'mobile')).stdout).toBe(
      `Revoked 1 token(s) of user ${bob.id}.\n`,
    );
    expect(demo.tokens(bob.id).map((row) => row.id)).toEqual([web.id]);
    expect((await cli('tokens', 'revoke', '--user', String(bob.id))).code).toBe(0);
    expect(demo.tokens(bob.id)).toEqual([]);
  });

  it('tokens purge deletes what expired, and only that', async () => {
    const carol = await demo.register('carol');
    expect((await cli('clients', 'create', 'short', '--ttl', '30m')).code).toBe(0);
    const live = await demo.login('carol', 'web');
    // Signed in an hour ago (the demo's clock), so the 30-minute token expired half an hour ago.
    const now = demo.clock.now();
    demo.clock.set(new Date(Date.now() - 3_600_000));
    await demo.login('carol', 'short');
    demo.clock.set(now);
    const run = await cli('tokens', 'purge');
    expect(run).toMatchObject({ code: 0, stdout: 'Purged 1 expired token(s).\n' });
    expect(demo.tokens(carol.id).map((row) => row.id)).toEqual([live.id]);
  });

  it('tokens import stores only digests under the legacy client; the old keys work, other shapes are still refused', async () => {
    const dave = await demo.register('dave');
    const key = createHash('sha1').update('dave').digest('hex'); // 40 hex, like DRF's
    const file = join(demo.dir, 'authtoken.csv');
    writeFileSync(
      file,
      [
        'user_id,key',
        `${dave.id},${key}`,
        `${dave.id},${key}`, // the same key twice
        `${dave.id},${key.slice(1)}`, // 39 characters
        `999999,${'b'.repeat(40)}`, // no such user
        'not a line',
      ].join('\n'),
    );
    const run = await cli('tokens', 'import', file);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('Imported 1 token(s).\n');
    expect(run.stderr.split('\n').filter((line) => line.startsWith('skipped'))).toEqual([
      'skipped line 3 (user ' + String(dave.id) + '): duplicate',
      'skipped line 4 (user ' + String(dave.id) + '): malformed',
      'skipped line 5 (user 999999): unknown_user',
      'skipped line 6: not user_id,key',
    ]);
    // The import is in the audit trail, by token id, never by key.
    expect(run.stderr).toMatch(/^audit: token [0-9a-f-]{36} created for user \d+ \(legacy\)/m);
    expect(run.stdout + run.stderr).not.toContain(key.slice(1));
    const [row] = demo.tokens(dave.id);
    expect(row).toMatchObject({ client_id: demo.clientId('legacy'), expires_at: null, name: null });
    expect(row?.digest).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(demo.tokens())).not.toContain(key);
    const me = await demo.http().get('/me').set(demo.auth(key)).expect(200);
    expect(me.body).toMatchObject({ username: 'dave', client: 'legacy' });
    // As DRF's clients send it.
    await demo.http().get('/me').set('Authorization', `Token ${key}`).expect(200);
    const sessions = await demo.http().get('/auth/sessions').set(demo.auth(key)).expect(200);
    expect(sessions.body).toEqual([expect.objectContaining({ client: 'legacy', current: true })]);
    // Nobody signs in to the legacy client: its tokens are only imported.
    const login = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'dave', password: 'correct horse', client: 'legacy' });
    expect(login.status).toBe(400);
    expect(login.body).toMatchObject({ code: 'legacy_client_login' });
    // An imported token is not a recent sign-in: making an API key with it takes the password.
    const key2 = await demo.http().post('/auth/api-keys').set(demo.auth(key)).send({ name: 'from-legacy' });
    expect(key2.body).toMatchObject({ code: 'password_required' });
    // A 40-hex value that was never imported, and a shape that is neither format.
    await demo
      .http()
      .get('/me')
      .set(demo.auth('c'.repeat(40)))
      .expect(401);
    await demo.http().get('/me').set(demo.auth(key.toUpperCase())).expect(401);
    // Logged out, the key stays out: importing the same export again does not bring it back.
    await demo.http().post('/auth/logout').set(demo.auth(key)).expect(204);
    const again = await cli('tokens', 'import', file);
    expect(again.stdout).toBe('Imported 0 token(s).\n');
    expect(again.stderr).toContain(`skipped line 2 (user ${dave.id}): duplicate`);
    await demo.http().get('/me').set(demo.auth(key)).expect(401);
    expect(demo.tokens(dave.id)).toEqual([]);
  });

  it('a missing file is a usage error', async () => {
    const run = await cli('tokens', 'import', join(demo.dir, 'nope.csv'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read .*nope\.csv/);
  });

  it('clients made by the CLI survive a restart; the clients option overwrites only the ones it names', async () => {
    expect((await cli('clients', 'create', 'robot', '--ttl', '1h')).code).toBe(0);
    expect((await cli('clients', 'create', 'named', '--ttl', '1h')).code).toBe(0);
    const databaseFile = demo.databaseFile;
    await demo.app.close();
    const clients = JSON.stringify([
      { name: 'web', tokenTtl: DAY },
      { name: 'api', tokenTtl: null },
      { name: 'named', tokenTtl: 7200 },
    ]);
    const again = await startDemo({ AUTH_CLIENTS: clients }, { databaseFile });
    try {
      const read = (name: string) =>
        again.db.prepare('SELECT token_ttl FROM auth_clients WHERE name = ?').get(name) as { token_ttl: number };
      expect(read('robot').token_ttl).toBe(3600);
      expect(read('named').token_ttl).toBe(7200);
    } finally {
      again.db.close();
      await again.app.close();
    }
  });
});
