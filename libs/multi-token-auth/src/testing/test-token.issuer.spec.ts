import { createHash } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { TokenVerifier } from '../services/tokens/token.verifier';
import { issueTestToken } from './index';
import { setup, type Fixture } from './setup.fixture';

describe('issueTestToken() (nestjs-multi-token-auth/testing)', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await setup({
      clients: [
        { name: 'web', tokenTtl: 3600, scopes: ['orders:read', 'orders:write'], defaultScopes: ['orders:read'] },
        { name: 'api', tokenTtl: null },
      ],
    });
  });
  afterAll(() => fixture.close());

  it('issues a real, stored token on the chosen client with the chosen scopes', async () => {
    const alice = await fixture.createUser('alice');
    const issued = await issueTestToken(fixture.module, alice, { client: 'web', scopes: ['orders:write'] });
    expect(issued.authorization).toBe(`Bearer ${issued.token}`);
    const row = await fixture.tokens.findOneOrFail({ where: { id: issued.record.id }, relations: { client: true } });
    expect([row.digest, row.client.name, row.scopes]).toEqual([
      createHash('sha256').update(issued.token).digest('hex'),
      'web',
      ['orders:write'],
    ]);
    const verified = await fixture.module.get(TokenVerifier).verify(issued.token);
    expect([verified.token.id, (verified.user as { username: string }).username]).toEqual([issued.record.id, 'alice']);
  });

  it("gives the client's default scopes without `scopes`, and takes ttl and name", async () => {
    const bob = await fixture.createUser('bob');
    const issued = await issueTestToken(fixture.module, bob.id, { client: 'web', ttl: null, name: 'CI runner' });
    expect([issued.record.scopes, issued.record.expiresAt, issued.record.name]).toEqual([
      ['orders:read'],
      null,
      'CI runner',
    ]);
  });

  it('refuses what a login would: a scope the client does not allow, a client the app does not have', async () => {
    const carol = await fixture.createUser('carol');
    const status = (promise: Promise<unknown>) =>
      promise.then(
        () => 0,
        (error: unknown) => (error instanceof HttpException ? error.getResponse() : error),
      );
    expect(await status(issueTestToken(fixture.module, carol, { client: 'web', scopes: ['admin'] }))).toMatchObject({
      statusCode: 403,
      code: 'scope_not_allowed',
    });
    expect(await status(issueTestToken(fixture.module, carol, { client: 'nope' }))).toMatchObject({
      statusCode: 400,
      code: 'unknown_client',
    });
  });
});
