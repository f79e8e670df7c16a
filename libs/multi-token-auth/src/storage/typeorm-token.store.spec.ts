import { DataSource } from 'typeorm';
import { AuthClient } from '../entities/auth-client.entity';
import { DATABASES, useDatabase } from '../testing/databases';
import { setup } from '../testing/setup.fixture';
import { describeTokenStore } from '../testing/token-store.conformance';
import { TokenStore } from './token-store.interface';
import { TypeOrmTokenStore } from './typeorm-token.store';

describe.each(DATABASES)('TypeOrmTokenStore on %s', (kind) => {
  const database = useDatabase(kind);

  describeTokenStore(`TypeORM on ${kind}`, async () => {
    const fixture = await setup({}, { postgresUrl: await database() });
    const store = fixture.module.get<TokenStore>(TokenStore);
    expect(store).toBeInstanceOf(TypeOrmTokenStore);
    const clients = await fixture.module
      .get(DataSource)
      .getRepository(AuthClient)
      .find({ order: { id: 'ASC' } });
    const [first, second] = clients;
    if (!first || !second) throw new Error('the fixture configures two clients');
    return {
      store,
      clientIds: [first.id, second.id],
      createUser: async () => (await fixture.createUser()).id,
      close: () => fixture.close(),
    };
  });
});
