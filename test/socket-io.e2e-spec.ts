import type { INestApplication } from '@nestjs/common';
import { Manager } from 'socket.io-client';
import { LiveConnections, ManualClock, type TokenService } from 'nestjs-multi-token-auth';
import type { TestUser } from '../libs/multi-token-auth/src/testing/test-user.entity';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { GateGateway, startSocketIoFixture } from './fixtures/socket-io.fixture';
import { ask, socketIoClients } from './support/socket-io.client';

// The acknowledgements of refused messages (SocketErrorsFilter) are in socket-io-acks.e2e-spec.ts.
describe('WebSocket gateways (socket.io): the token at connection, re-checked on each message and on revocation', () => {
  let app: INestApplication;
  let clock: ManualClock;
  let tokens: TokenService;
  let alice: TestUser;
  let url: string;
  const { open, connect, refused, disconnectAll } = socketIoClients(() => url);

  beforeAll(async () => {
    clock = new ManualClock();
    ({ app, url, tokens, alice } = await startSocketIoFixture(clock));
  });
  afterEach(disconnectAll);
  afterAll(() => app.close());

  const issue = async (client = 'web', scopes?: string[], ttl?: number) =>
    tokens.issue(alice, { client, scopes, ...(ttl === undefined ? {} : { ttl }) });

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

  it("allowedIps at connection: the socket's address is checked; from outside the list connect_error ip_not_allowed", async () => {
    const outside = await tokens.issue(alice, { client: 'web', allowedIps: ['10.0.0.0/8'] });
    expect((await refused({ auth: { token: outside.token } })).data).toEqual({
      code: 'ip_not_allowed',
      statusCode: 403,
    });
    const inside = await tokens.issue(alice, { client: 'web', allowedIps: ['127.0.0.0/8', '::1'] });
    const connected = await connect({ auth: { token: inside.token } });
    expect(await ask(connected, 'whoami')).toMatchObject({ username: 'alice' });
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

  it('quota: connecting spends nothing, each message 1; none left: exception quota_exhausted, the socket stays', async () => {
    const { token } = await tokens.issue(alice, { client: 'web', quota: { limit: 2 } });
    const connected = await connect({ auth: { token } });
    for (let i = 0; i < 2; i++) expect(await ask(connected, 'whoami')).toMatchObject({ username: 'alice' });
    expect(await ask(connected, 'whoami')).toMatchObject({ code: 'quota_exhausted', statusCode: 429 });
    expect(connected.socket.connected).toBe(true);
    expect(connected.disconnects).toEqual([]);
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
