import { ClientRegistry } from '../libs/multi-token-auth/src/infrastructure/clients/client.registry';
import { requireBuiltCli, runCli, type CliRun } from './support/cli.runner';
import { startDemo, type Demo } from './support/demo.harness';

const DAY = 86_400;

// Each run starts a Nest app in a new process: about 1.5 s on the CI machine.
jest.setTimeout(60_000);

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
 * and what the running demo then does. `tokens import` has its own spec, cli-import.e2e-spec.ts.
 */
describe('CLI (clients, tokens purge|revoke)', () => {
  let demo: Demo;
  const cli = (...args: string[]): Promise<CliRun> => cliWith({}, ...args);
  const cliWith = (env: Record<string, string>, ...args: string[]): Promise<CliRun> =>
    runCli(demo.databaseFile, args, { env });
  const client = (name: string) =>
    demo.db.prepare('SELECT * FROM auth_clients WHERE name = ?').get(name) as ClientRow | undefined;

  beforeAll(async () => {
    requireBuiltCli();
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
