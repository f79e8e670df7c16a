import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import { io, Manager, type Socket } from 'socket.io-client';
import { DataSource, type Repository } from 'typeorm';
import {
  EXPIRED_TOKEN_MESSAGE,
  INSUFFICIENT_SCOPE_MESSAGE,
  INVALID_TOKEN_MESSAGE,
  LiveConnections,
  ManualClock,
  TokenService,
} from 'nestjs-multi-token-auth';
import { testHasher } from '../libs/multi-token-auth/src/testing/setup.fixture';
import { TestUser } from '../libs/multi-token-auth/src/testing/test-user.entity';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { GateGateway, LobbyGateway, OrdersGateway } from './fixtures/socket-io.fixture';
import { compileTransportFixture } from './fixtures/transport-fixture.module';

interface Connected {
  socket: Socket;
  exceptions: Record<string, unknown>[];
  disconnects: string[];
}

describe('WebSocket gateways (socket.io): the token at connection, re-checked on each message and on revocation', () => {
  let app: INestApplication;
  let clock: ManualClock;
  let tokens: TokenService;
  let alice: TestUser;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    clock = new ManualClock();
    const module = await compileTransportFixture({ providers: [OrdersGateway, LobbyGateway, GateGateway] }, clock);
    app = module.createNestApplication();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    tokens = app.get(TokenService);
    const users = app.get<Repository<TestUser>>(getRepositoryToken(TestUser));
    alice = await users.save(
      users.create({ username: 'alice', passwordHash: await testHasher.hash('pw'), isActive: true }),
    );
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => app.close());

  const issue = async (client = 'web', scopes?: string[], ttl?: number) =>
    tokens.issue(alice, { client, scopes, ...(ttl === undefined ? {} : { ttl }) });

  interface OpenOptions {
    auth?: Record<string, unknown>;
    headers?: Record<string, string>;
    /** A connection to share with other namespaces (socket.io multiplexes them); a new one by default. */
    manager?: Manager;
  }

  function open(options: OpenOptions, namespace = '') {
    const socket = options.manager
      ? options.manager.socket(namespace || '/', { auth: options.auth })
      : io(`${url}${namespace}`, {
          forceNew: true,
          transports: ['websocket'],
          reconnection: false,
          auth: options.auth,
          extraHeaders: options.headers,
        });
    sockets.push(socket);
    return socket;
  }

  /** Connects and resolves once connected, or with socket.io's connect_error. */
  async function connect(options: OpenOptions, namespace = ''): Promise<Connected> {
    const socket = open(options, namespace);
    const exceptions: Record<string, unknown>[] = [];
    const disconnects: string[] = [];
    socket.on('exception', (body: Record<string, unknown>) => exceptions.push(body));
    socket.on('disconnect', (reason) => disconnects.push(reason));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return { socket, exceptions, disconnects };
  }

  async function refused(options: Parameters<typeof open>[0], namespace = '') {
    const error = await new Promise<Error & { data?: unknown }>((resolve, reject) => {
      const socket = open(options, namespace);
      socket.once('connect', () => reject(new Error('connected')));
      socket.once('connect_error', resolve);
    });
    return { message: error.message, data: error.data };
  }

  /** Sends an event and resolves with its answer, or with the `exception` the guard raised. */
  async function ask(connected: Connected, event: string, body: unknown = {}): Promise<unknown> {
    const before = connected.exceptions.length;
    const answer = connected.socket.timeout(3000).emitWithAck(event, body);
    const failed = within(3000, () => connected.exceptions.length > before).then(() => connected.exceptions[before]);
    return Promise.race([answer, failed]);
  }

  it('valid token (auth payload or Authorization header): @CurrentUser() and @CurrentToken() in handlers', async () => {
    const { token } = await issue('cli');
    const byPayload = await connect({ auth: { token } });
    expect(await ask(byPayload, 'whoami')).toEqual({ username: 'alice', client: 'cli', scopes: ['orders:read'] });
    const byHeader = await connect({ headers: { Authorization: `Bearer ${token}` } });
    expect(await ask(byHeader, 'whoami')).toMatchObject({ username: 'alice' });
  });

  it.each([
    ['missing', {}, 'missing_token', 401],
    ['invalid', { auth: { token: 'mta_forged' } }, 'invalid_token', 401],
    ['not a string', { auth: { token: 42 } }, 'invalid_request', 400],
    ['in both places', { auth: { token: 'a' }, headers: { Authorization: 'Bearer b' } }, 'invalid_request', 400],
  ])(
    '%s token: refused at the handshake with connect_error {code, statusCode}',
    async (_case, options, code, statusCode) => {
      const error = await refused(options);
      expect(error.data).toEqual({ code, statusCode });
      expect(error.message).not.toMatch(/mta_forged|at /);
    },
  );

  it('expired token at connection: connect_error token_expired', async () => {
    const { token } = await issue('web', undefined, 60);
    clock.advance(61_000);
    expect((await refused({ auth: { token } })).data).toEqual({ code: 'token_expired', statusCode: 401 });
  });

  it('wrong client: the message gets an exception {code: client_not_allowed, statusCode: 403}; the socket stays', async () => {
    const { token } = await issue('api');
    const connected = await connect({ auth: { token } });
    expect(await ask(connected, 'webOnly')).toEqual({
      status: 'error',
      code: 'client_not_allowed',
      statusCode: 403,
      message: 'This client may not use this route.',
    });
    expect(connected.socket.connected).toBe(true);
  });

  it('missing scope: exception insufficient_scope naming it; with the scope the message is answered', async () => {
    const reader = await connect({ auth: { token: (await issue('cli')).token } });
    expect(await ask(reader, 'createOrder', { item: 'tea' })).toMatchObject({
      code: 'insufficient_scope',
      statusCode: 403,
      requiredScopes: ['orders:write'],
    });
    const writer = await connect({ auth: { token: (await issue('cli', ['orders:write'])).token } });
    expect(await ask(writer, 'createOrder', { item: 'tea' })).toEqual({ created: 'tea' });
  });

  it('rate limit per user and client on marked handlers: exception rate_limited', async () => {
    clock.advance(3_600_000);
    const connected = await connect({ auth: { token: (await issue('web')).token } });
    for (let i = 0; i < 3; i++) expect(await ask(connected, 'limited')).toEqual({ ok: true });
    expect(await ask(connected, 'limited')).toMatchObject({ code: 'rate_limited', statusCode: 429 });
  });

  it('revoked: the socket is told (exception invalid_token) and disconnected at once', async () => {
    const { token, record } = await issue('web');
    const connected = await connect({ auth: { token } });
    expect(await ask(connected, 'whoami')).toMatchObject({ username: 'alice' });
    const live = app.get(LiveConnections).size;
    await tokens.revoke(alice.id, record.id);
    expect(await within(3000, () => connected.disconnects.length === 1)).toBe(true);
    expect(connected.disconnects).toEqual(['io server disconnect']);
    expect(connected.exceptions).toEqual([{ status: 'error', code: 'invalid_token', closeCode: 4401 }]);
    expect(app.get(LiveConnections).size).toBe(live - 1);
  });

  it('logout-all (revokeAll) disconnects every socket of the user', async () => {
    const first = await connect({ auth: { token: (await issue('web')).token } });
    const second = await connect({ auth: { token: (await issue('cli')).token } });
    await tokens.revokeAll(alice.id);
    expect(await within(3000, () => first.disconnects.length === 1 && second.disconnects.length === 1)).toBe(true);
  });

  it('expired while connected: the next message closes the socket (exception token_expired)', async () => {
    const { token } = await issue('web', undefined, 120);
    const connected = await connect({ auth: { token } });
    clock.advance(121_000);
    connected.socket.emit('whoami', {});
    expect(await within(3000, () => connected.disconnects.length === 1)).toBe(true);
    expect(connected.exceptions[0]).toEqual({ status: 'error', code: 'token_expired', closeCode: 4401 });
  });

  it('expired while idle: disconnected by the background re-check', async () => {
    const { token } = await issue('web', undefined, 120);
    const connected = await connect({ auth: { token } });
    await app.get(LiveConnections).recheckAll();
    expect(connected.socket.connected).toBe(true);
    clock.advance(121_000);
    await app.get(LiveConnections).recheckAll();
    expect(await within(3000, () => connected.disconnects.length === 1)).toBe(true);
    expect(connected.exceptions).toEqual([{ status: 'error', code: 'token_expired', closeCode: 4401 }]);
  });

  it('a re-check does not count as use: an idle socket does not keep its session alive', async () => {
    const { record, token } = await issue('web');
    await connect({ auth: { token } });
    const before = (await tokens.find(alice.id, record.id))?.lastUsedAt;
    clock.advance(120_000);
    await app.get(LiveConnections).recheckAll();
    expect((await tokens.find(alice.id, record.id))?.lastUsedAt).toEqual(before);
  });

  describe('acknowledgements (emitWithAck) of refused messages: SocketErrorsFilter on the gateway', () => {
    /** `emitWithAck` alone, with a timeout the test would otherwise end in. */
    const ack = (connected: Connected, event: string, body: unknown = {}) =>
      connected.socket.timeout(2000).emitWithAck(event, body) as Promise<unknown>;

    it('a read-only token: the ack answers the exception body (insufficient_scope); the exception event fires too', async () => {
      const reader = await connect({ auth: { token: (await issue('cli')).token } });
      const expected = {
        status: 'error',
        code: 'insufficient_scope',
        statusCode: 403,
        message: INSUFFICIENT_SCOPE_MESSAGE,
        requiredScopes: ['orders:write'],
      };
      expect(await ack(reader, 'createOrder', { item: 'tea' })).toEqual(expected);
      expect(await within(3000, () => reader.exceptions.length === 1)).toBe(true);
      expect(reader.exceptions).toEqual([expected]);
      expect(reader.socket.connected).toBe(true);
    });

    it('a token revoked where this instance could not hear of it: the ack answers invalid_token, then the socket closes', async () => {
      const { token, record } = await issue('web');
      const connected = await connect({ auth: { token } });
      expect(await ack(connected, 'whoami')).toMatchObject({ username: 'alice' });
      const live = app.get(LiveConnections).size;
      // Another instance without a shared bus, or raw SQL: nothing announces it; the cache entry lapses.
      await app.get(DataSource).query('DELETE FROM auth_tokens WHERE id = ?', [record.id]);
      expect(await tokens.find(alice.id, record.id)).toBeNull();
      clock.advance(60_000);
      expect(await ack(connected, 'whoami')).toEqual({
        status: 'error',
        code: 'invalid_token',
        statusCode: 401,
        message: INVALID_TOKEN_MESSAGE,
      });
      expect(await within(3000, () => connected.disconnects.length === 1)).toBe(true);
      // The close notice, then the message's own refusal (the same body as the ack).
      expect(connected.exceptions).toEqual([
        { status: 'error', code: 'invalid_token', closeCode: 4401 },
        { status: 'error', code: 'invalid_token', statusCode: 401, message: INVALID_TOKEN_MESSAGE },
      ]);
      expect(await within(3000, () => app.get(LiveConnections).size === live - 1)).toBe(true);
    });

    it('an expired token: the ack answers token_expired before the socket closes', async () => {
      const { token } = await issue('web', undefined, 120);
      const connected = await connect({ auth: { token } });
      clock.advance(121_000);
      expect(await ack(connected, 'createOrder', { item: 'tea' })).toEqual({
        status: 'error',
        code: 'token_expired',
        statusCode: 401,
        message: EXPIRED_TOKEN_MESSAGE,
      });
      expect(await within(3000, () => connected.disconnects.length === 1)).toBe(true);
    });

    it("the app's own errors: an HttpException in its socket form, anything else as Nest says it (and logged)", async () => {
      const connected = await connect({ auth: { token: (await issue('web')).token } });
      expect(await ack(connected, 'conflict')).toEqual({
        status: 'error',
        code: 'order_taken',
        statusCode: 409,
        message: 'That order is taken.',
      });
      expect(await ack(connected, 'crash')).toEqual({ status: 'error', message: 'Internal server error' });
      expect(await within(3000, () => connected.exceptions.length === 2)).toBe(true);
      expect(connected.exceptions[1]).toEqual({ status: 'error', message: 'Internal server error' });
      expect(connected.socket.connected).toBe(true);
    });
  });

  describe('an optional namespace (socketIo({ optional: true }))', () => {
    it('anonymous connections are let in; @OptionalAuth() handlers answer them, others say missing_token', async () => {
      const anonymous = await connect({}, '/lobby');
      expect(await ask(anonymous, 'hello')).toEqual({ user: null });
      expect(await ask(anonymous, 'whoami')).toMatchObject({ code: 'missing_token', statusCode: 401 });
    });

    it('with a token the user is known; a bad token is still refused at the handshake', async () => {
      const known = await connect({ auth: { token: (await issue('web')).token } }, '/lobby');
      expect(await ask(known, 'hello')).toEqual({ user: 'alice' });
      const error = await new Promise<Error & { data?: unknown }>((resolve) => {
        const socket = open({ auth: { token: 'mta_forged' } }, '/lobby');
        socket.once('connect_error', resolve);
      });
      expect(error.data).toEqual({ code: 'invalid_token', statusCode: 401 });
    });
  });

  describe('what is watched for revocation, and what closes', () => {
    afterEach(() => {
      GateGateway.beforeConnect = undefined;
    });

    it('a socket a later middleware refuses is never watched: refused handshakes leave nothing behind', async () => {
      const live = app.get(LiveConnections);
      // The sockets of earlier tests are gone once the server has seen them close.
      expect(await within(3000, () => live.size === 0)).toBe(true);
      const before = live.size;
      const { token } = await issue('web');
      for (let i = 0; i < 5; i++) {
        expect((await refused({ auth: { token, refuse: true } }, '/gate')).message).toBe('Refused by the app');
      }
      expect(live.size).toBe(before);
      const connected = await connect({ auth: { token } }, '/gate');
      expect(live.size).toBe(before + 1);
      connected.socket.disconnect();
      expect(await within(3000, () => live.size === before)).toBe(true);
    });

    it('revoked between the handshake and the connection: closed as soon as it connects', async () => {
      const { token, record } = await issue('web');
      GateGateway.beforeConnect = async () => {
        await tokens.revoke(alice.id, record.id);
      };
      const connected = await connect({ auth: { token } }, '/gate');
      expect(await within(3000, () => connected.disconnects.length === 1)).toBe(true);
      expect(connected.exceptions).toEqual([{ status: 'error', code: 'invalid_token', closeCode: 4401 }]);
    });

    it("a revoked token closes its own namespace only: the connection's other namespaces stay", async () => {
      const { token, record } = await issue('web');
      const manager = new Manager(url, { transports: ['websocket'], reconnection: false });
      const orders = await connect({ auth: { token }, manager });
      const lobby = await connect({ manager }, '/lobby');
      expect(lobby.socket.io).toBe(orders.socket.io);
      await tokens.revoke(alice.id, record.id);
      expect(await within(3000, () => orders.disconnects.length === 1)).toBe(true);
      expect(await ask(lobby, 'hello')).toEqual({ user: null });
      expect(lobby.socket.connected).toBe(true);
    });
  });
});
