import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUTH_ERRORS, LiveConnections, ManualClock, type TokenService } from 'nestjs-multi-token-auth';
import type { TestUser } from '../libs/multi-token-auth/src/testing/test-user.entity';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { startSocketIoFixture } from './fixtures/socket-io.fixture';
import { socketIoClients, type Connected } from './support/socket-io.client';

// The same gateways as socket-io.e2e-spec.ts, on an app of its own: what a message's ack answers.
describe('WebSocket gateways (socket.io): the token at connection, re-checked on each message and on revocation', () => {
  let app: INestApplication;
  let clock: ManualClock;
  let tokens: TokenService;
  let alice: TestUser;
  let url: string;
  const { connect, disconnectAll } = socketIoClients(() => url);

  beforeAll(async () => {
    clock = new ManualClock();
    ({ app, url, tokens, alice } = await startSocketIoFixture(clock));
  });
  afterEach(disconnectAll);
  afterAll(() => app.close());

  const issue = async (client = 'web', scopes?: string[], ttl?: number) =>
    tokens.issue(alice, { client, scopes, ...(ttl === undefined ? {} : { ttl }) });

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
        message: AUTH_ERRORS.insufficient_scope.message,
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
        message: AUTH_ERRORS.invalid_token.message,
      });
      expect(await within(3000, () => connected.disconnects.length === 1)).toBe(true);
      // The close notice, then the message's own refusal (the same body as the ack).
      expect(connected.exceptions).toEqual([
        { status: 'error', code: 'invalid_token', closeCode: 4401 },
        { status: 'error', code: 'invalid_token', statusCode: 401, message: AUTH_ERRORS.invalid_token.message },
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
        message: AUTH_ERRORS.token_expired.message,
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
});
