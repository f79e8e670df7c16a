import { DataSource } from 'typeorm';
import { CachedTokenStore } from '../cache/cached-token.store';
import { AuthClient } from '../../contracts/entities/auth-client.entity';
import type { MultiTokenAuthOptions } from '../../contracts/multi-token-auth.options';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup } from '../../testing/setup.fixture';
import { describeTokenStore } from '../../testing/token-store.conformance';
import { TokenStore } from '../../contracts/token-store.interface';
import { TypeOrmTokenStore } from './typeorm-token.store';

describe.each(DATABASES)('TypeOrmTokenStore on %s', (kind) => {
  const database = useDatabase(kind);

  const harness =
    (cache: MultiTokenAuthOptions['cache'], type: abstract new (...args: never[]) => TokenStore) => async () => {
      const fixture = await setup({ cache }, { postgresUrl: await database() });
      const store = fixture.module.get<TokenStore>(TokenStore);
      expect(store).toBeInstanceOf(type);
      const clients = await fixture.module
        .get(DataSource)
        .getRepository(AuthClient)
        .find({ order: { id: 'ASC' } });
      const [first, second] = clients;
      if (!first || !second) throw new Error('the fixture configures two clients');
      return {
        store,
        clientIds: [first.id, second.id] as [number, number],
        createUser: async () => (await fixture.createUser()).id,
        close: () => fixture.close(),
      };
    };

  describeTokenStore(`TypeORM on ${kind}, no cache`, harness(false, TypeOrmTokenStore));
  // The cache must not change the contract: every read after a write sees the write.
  describeTokenStore(`TypeORM on ${kind}, behind the verified-token cache`, harness({}, CachedTokenStore));
});
