import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import { createClient, type Client } from 'graphql-ws';
import request from 'supertest';
import type { Repository } from 'typeorm';
import WebSocket from 'ws';
import { LiveConnections, ManualClock, SocketAuthenticator, TokenService } from 'nestjs-multi-token-auth';
import { testHasher } from '../libs/multi-token-auth/src/testing/setup.fixture';
import { TestUser } from '../libs/multi-token-auth/src/testing/test-user.entity';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { FixtureResolver, fixtureGraphqlModule } from './fixtures/graphql.fixture';
import { compileTransportFixture } from './fixtures/transport-fixture.module';

interface GraphqlError {
  message: string;
  extensions: { code: string; reason: string; status: number; requiredScopes?: string[]; stacktrace?: string[] };
}

describe('GraphQL resolvers (Apollo driver): queries and mutations over HTTP, subscriptions over graphql-ws', () => {
  let app: INestApplication;
  let clock: ManualClock;
  let tokens: TokenService;
  let alice: TestUser;
  let wsUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    clock = new ManualClock();
    const module = await compileTransportFixture(
      { imports: [fixtureGraphqlModule], providers: [FixtureResolver] },
      clock,
    );
    app = module.createNestApplication();
    await app.listen(0, '127.0.0.1');
    wsUrl = (await app.getUrl()).replace('http', 'ws') + '/graphql';
    tokens = app.get(TokenService);
    const users = app.get<Repository<TestUser>>(getRepositoryToken(TestUser));
    alice = await users.save(
      users.create({ username: 'alice', passwordHash: await testHasher.hash('pw'), isActive: true }),
    );
  });
  afterEach(() => {
    for (const client of clients.splice(0)) void client.dispose();
  });
  afterAll(() => app.close());

  const issue = async (client = 'web', scopes?: string[], ttl?: number) =>
    tokens.issue(alice, { client, scopes, ...(ttl === undefined ? {} : { ttl }) });

  async function gql(query: string, token?: string) {
    const req = request(app.getHttpServer()).post('/graphql').send({ query });
    const res = await (token === undefined ? req : req.set('Authorization', `Bearer ${token}`));
    // Execution errors are part of a 200 response: never a 5xx.
    expect(res.status).toBe(200);
    return res.body as { data: Record<string, unknown> | null; errors?: GraphqlError[] };
  }

  function expectError(body: { errors?: GraphqlError[] }, code: string, reason: string) {
    expect(body.errors).toHaveLength(1);
    const [error] = body.errors ?? [];
    expect(error.extensions).toMatchObject({ code, reason });
    // Whatever the server's stack-trace setting, no code location ever leaves it.
    for (const line of error.extensions.stacktrace ?? []) expect(line).not.toMatch(/\bat\b|\.ts|\.js/);
    return error;
  }

  describe('queries and mutations', () => {
    it('valid token: @CurrentUser() and @CurrentToken() work in a resolver', async () => {
      const { token } = await issue('cli');
      const body = await gql('{ me { username client scopes } }', token);
      expect(body).toEqual({ data: { me: { username: 'alice', client: 'cli', scopes: ['orders:read'] } } });
    });

    it('missing token: UNAUTHENTICATED missing_token', async () => {
      const error = expectError(await gql('{ me { username } }'), 'UNAUTHENTICATED', 'missing_token');
      expect(error.message).toBe('Authentication credentials were not provided.');
    });

    it('invalid token: UNAUTHENTICATED invalid_token, without the token echoed', async () => {
      const body = await gql('{ me { username } }', 'mta_forged');
      expectError(body, 'UNAUTHENTICATED', 'invalid_token');
      expect(JSON.stringify(body)).not.toContain('mta_forged');
    });

    it('expired token: UNAUTHENTICATED token_expired', async () => {
      const { token } = await issue('web', undefined, 60);
      clock.advance(61_000);
      expectError(await gql('{ me { username } }', token), 'UNAUTHENTICATED', 'token_expired');
    });

    it('revoked token: UNAUTHENTICATED invalid_token on the next request', async () => {
      const { token, record } = await issue();
      await gql('{ me { username } }', token);
      await tokens.revoke(alice.id, record.id);
      expectError(await gql('{ me { username } }', token), 'UNAUTHENTICATED', 'invalid_token');
    });

    it('wrong client: FORBIDDEN client_not_allowed', async () => {
      const { token } = await issue('api');
      expectError(await gql('{ webOnly }', token), 'FORBIDDEN', 'client_not_allowed');
      const web = await issue('web');
      expect(await gql('{ webOnly }', web.token)).toEqual({ data: { webOnly: true } });
    });

    it('missing scope: FORBIDDEN insufficient_scope naming it; a query with the scope works', async () => {
      const reader = await issue('cli');
      const error = expectError(
        await gql('mutation { createOrder(item: "tea") { id } }', reader.token),
        'FORBIDDEN',
        'insufficient_scope',
      );
      expect(error.extensions.requiredScopes).toEqual(['orders:write']);
      expect((await gql('{ orders { item } }', reader.token)).errors).toBeUndefined();
      const writer = await issue('cli', ['orders:write']);
      expect(await gql('mutation { createOrder(item: "tea") { item } }', writer.token)).toEqual({
        data: { createOrder: { item: 'tea' } },
      });
    });

    it('several fields in one request: each is checked on its own (an allowed field never clears the next)', async () => {
      const reader = await issue('cli');
      const mutation = await gql('mutation { ping createOrder(item: "coffee") { id } }', reader.token);
      expect(mutation.data).toBeNull();
      expect(expectError(mutation, 'FORBIDDEN', 'insufficient_scope').extensions.requiredScopes).toEqual([
        'orders:write',
      ]);
      const query = await gql('{ me { username } webOnly }', reader.token);
      expect(query.data).toBeNull();
      expectError(query, 'FORBIDDEN', 'client_not_allowed');
      const ordersQuery = await gql('{ orders { item } }', reader.token);
      expect(ordersQuery.data?.orders).not.toContainEqual({ item: 'coffee' });
    });

    it('rate limit per user and client: TOO_MANY_REQUESTS rate_limited past the client rate', async () => {
      clock.advance(3_600_000);
      const { token } = await issue('web');
      for (let i = 0; i < 3; i++) expect((await gql('{ limited }', token)).errors).toBeUndefined();
      expectError(await gql('{ limited }', token), 'TOO_MANY_REQUESTS', 'rate_limited');
    });

    it('quota: each resolver spends its cost (@TokenCost(2) on createOrder); none left, TOO_MANY_REQUESTS quota_exhausted', async () => {
      const { token } = await tokens.issue(alice, { client: 'web', quota: { limit: 5 } });
      // Two resolvers in one request: two spends.
      expect((await gql('{ me { username } hello }', token)).errors).toBeUndefined();
      expect((await gql('mutation { createOrder(item: "tea") { item } }', token)).errors).toBeUndefined();
      expect((await gql('{ hello }', token)).errors).toBeUndefined();
      expectError(await gql('{ hello }', token), 'TOO_MANY_REQUESTS', 'quota_exhausted');
      // A cost the balance cannot pay is refused whole: the mutation adds nothing.
      expectError(
        await gql('mutation { createOrder(item: "gin") { item } }', token),
        'TOO_MANY_REQUESTS',
        'quota_exhausted',
      );
    });

    it('@OptionalAuth(): anonymous is null, a token is the user, a bad token is still UNAUTHENTICATED', async () => {
      expect(await gql('{ hello }')).toEqual({ data: { hello: null } });
      expect(await gql('{ hello }', (await issue()).token)).toEqual({ data: { hello: 'alice' } });
      expectError(await gql('{ hello }', 'mta_forged'), 'UNAUTHENTICATED', 'invalid_token');
    });
  });

  describe('subscriptions over graphql-ws (token in the connection parameters)', () => {
    const resolver = () => app.get(FixtureResolver);

    function subscribe(connectionParams?: Record<string, unknown>) {
      let closed: { code: number; reason: string } | undefined;
      const received: unknown[] = [];
      const errors: unknown[] = [];
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        on: {
          closed: (event) => {
            const { code, reason } = event as { code: number; reason: string | Buffer };
            closed = { code, reason: String(reason) };
          },
        },
      });
      clients.push(client);
      client.subscribe(
        { query: 'subscription { orderCreated { item } }' },
        { next: (value) => received.push(value), error: (error) => errors.push(error), complete: () => undefined },
      );
      return { received, errors, closed: () => closed };
    }

    const listening = () => within(3000, () => resolver().events.listenerCount('order') > 0);

    it('valid token with the scope: receives events', async () => {
      const { token } = await issue('cli');
      const sub = subscribe({ authorization: `Bearer ${token}` });
      expect(await listening()).toBe(true);
      const writer = await issue('cli', ['orders:write']);
      await gql('mutation { createOrder(item: "cake") { id } }', writer.token);
      expect(await within(3000, () => sub.received.length === 1)).toBe(true);
      expect(sub.received[0]).toEqual({ data: { orderCreated: { item: 'cake' } } });
    });

    it.each([
      ['missing', undefined, 'missing_token'],
      ['invalid', { authorization: 'Bearer mta_forged' }, 'invalid_token'],
      ['invalid, as { token }', { token: 'mta_forged' }, 'invalid_token'],
    ])('%s token: the connection is closed with 4401 and the code as reason', async (_case, params, reason) => {
      const sub = subscribe(params);
      expect(await within(3000, () => sub.closed() !== undefined)).toBe(true);
      expect(sub.closed()).toEqual({ code: 4401, reason });
    });

    it('a connection closed while it was being authenticated is not watched', async () => {
      const live = app.get(LiveConnections);
      expect(await within(3000, () => live.size === 0)).toBe(true);
      const { token } = await issue('cli');
      const listeners: (() => void)[] = [];
      // The client went away during onConnect: `ws` says CLOSED and will never emit `close` again.
      const socket = { readyState: 3, close: () => undefined, once: (_: 'close', l: () => void) => listeners.push(l) };
      const onConnect = app.get(SocketAuthenticator).graphqlWs();
      await onConnect({ connectionParams: { token }, extra: { socket } });
      expect(live.size).toBe(0);
      expect(listeners).toEqual([]);
    });

    it('a null authorization parameter is malformed (4400), never anonymous', async () => {
      const sub = subscribe({ authorization: null });
      expect(await within(3000, () => sub.closed() !== undefined)).toBe(true);
      expect(sub.closed()).toEqual({ code: 4400, reason: 'invalid_request' });
    });

    it('a malformed connection parameter is closed with 4400', async () => {
      const sub = subscribe({ authorization: 42 });
      expect(await within(3000, () => sub.closed() !== undefined)).toBe(true);
      expect(sub.closed()).toEqual({ code: 4400, reason: 'invalid_request' });
    });

    it('expired token at connection: 4401 token_expired', async () => {
      const { token } = await issue('cli', undefined, 60);
      clock.advance(61_000);
      const sub = subscribe({ authorization: `Bearer ${token}` });
      expect(await within(3000, () => sub.closed() !== undefined)).toBe(true);
      expect(sub.closed()).toEqual({ code: 4401, reason: 'token_expired' });
    });

    it('missing scope: the operation answers FORBIDDEN insufficient_scope and ends; nothing is streamed', async () => {
      const { token } = await issue('web', ['other']);
      const sub = subscribe({ authorization: `Bearer ${token}` });
      // graphql-ws delivers execution errors as the operation's result, then completes it.
      expect(await within(3000, () => sub.received.length === 1)).toBe(true);
      expect(sub.received[0]).toEqual({
        errors: [
          expect.objectContaining({
            extensions: {
              code: 'FORBIDDEN',
              reason: 'insufficient_scope',
              status: 403,
              requiredScopes: ['orders:read'],
            },
          }),
        ],
      });
      expect(sub.errors).toEqual([]);
      expect(resolver().events.listenerCount('order')).toBe(0);
    });

    it('revoked while subscribed: the connection is closed at once (4401), with no wait for a re-check', async () => {
      const { token, record } = await issue('cli');
      const sub = subscribe({ authorization: `Bearer ${token}` });
      expect(await listening()).toBe(true);
      await tokens.revoke(alice.id, record.id);
      expect(await within(3000, () => sub.closed() !== undefined)).toBe(true);
      expect(sub.closed()).toEqual({ code: 4401, reason: 'invalid_token' });
      expect(await within(3000, () => resolver().events.listenerCount('order') === 0)).toBe(true);
    });

    it('logout-all while subscribed: every connection of the user is closed at once', async () => {
      const first = subscribe({ authorization: `Bearer ${(await issue('cli')).token}` });
      const second = subscribe({ token: (await issue('cli')).token });
      expect(await within(3000, () => resolver().events.listenerCount('order') === 2)).toBe(true);
      await tokens.revokeAll(alice.id);
      expect(await within(3000, () => first.closed() !== undefined && second.closed() !== undefined)).toBe(true);
      expect([first.closed(), second.closed()]).toEqual([
        { code: 4401, reason: 'invalid_token' },
        { code: 4401, reason: 'invalid_token' },
      ]);
    });

    it('graphqlWs({ optional: true }): no credentials connect anonymously; bad ones are still closed', async () => {
      const closes: number[] = [];
      const socket = { readyState: 1, close: (code: number) => closes.push(code), once: () => undefined };
      const onConnect = app.get(SocketAuthenticator).graphqlWs({ optional: true });
      expect(await onConnect({ connectionParams: {}, extra: { socket } })).toBe(true);
      expect(await onConnect({ extra: { socket } })).toBe(true);
      expect(closes).toEqual([]);
      expect(await onConnect({ connectionParams: { token: 'mta_forged' }, extra: { socket } })).toBe(false);
      expect(await onConnect({ connectionParams: { authorization: null }, extra: { socket } })).toBe(false);
      expect(closes).toEqual([4401, 4400]);
      const strict = app.get(SocketAuthenticator).graphqlWs();
      expect(await strict({ connectionParams: {}, extra: { socket } })).toBe(false);
      expect(closes).toEqual([4401, 4400, 4401]);
    });

    it('expired while subscribed: closed by the next background re-check (4401 token_expired)', async () => {
      const { token } = await issue('cli', undefined, 120);
      const sub = subscribe({ authorization: `Bearer ${token}` });
      expect(await listening()).toBe(true);
      await app.get(LiveConnections).recheckAll();
      expect(sub.closed()).toBeUndefined();
      clock.advance(121_000);
      await app.get(LiveConnections).recheckAll();
      expect(await within(3000, () => sub.closed() !== undefined)).toBe(true);
      expect(sub.closed()).toEqual({ code: 4401, reason: 'token_expired' });
    });
  });
});
