import { Injectable } from '@nestjs/common';
import { GuardSteps } from '../adapters/guards/guard-steps';
import { MultiTokenAuthGuard } from '../adapters/guards/multi-token-auth.guard';
import { InjectMultiTokenAuthOptions, type ResolvedMultiTokenAuthOptions } from '../index';
import { setup, type Fixture } from '../testing/setup.fixture';

/** An app's subclass of a library guard that reads the settings it extends. */
@Injectable()
class RealmAwareGuard extends MultiTokenAuthGuard {
  constructor(@InjectMultiTokenAuthOptions() readonly options: ResolvedMultiTokenAuthOptions) {
    super();
  }
}

/** An app's own provider that reads them. */
@Injectable()
class ClientsReport {
  constructor(@InjectMultiTokenAuthOptions() readonly options: ResolvedMultiTokenAuthOptions) {}
  names(): string[] {
    return this.options.clients.map((client) => client.name);
  }
}

describe('@InjectMultiTokenAuthOptions()', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await setup({ realm: 'shop', tokenPrefix: 'shp' }, { providers: [RealmAwareGuard, ClientsReport] });
  });
  afterAll(() => fixture?.close());

  it("gives an app's subclass of a library guard the options as the library uses them, defaults applied", () => {
    const guard = fixture.module.get(RealmAwareGuard);
    expect(guard).toBeInstanceOf(MultiTokenAuthGuard);
    expect(guard.options).toMatchObject({ realm: 'shop', tokenPrefix: 'shp', cache: { ttl: 60, maxEntries: 10_000 } });
    // The very object the library's own providers received: one resolution, no copy.
    expect(guard.options).toBe(fixture.module.get<GuardSteps, { options: unknown }>(GuardSteps).options);
  });

  it("gives any provider of the app the clients as merged at start-up (the library's defaults filled in)", () => {
    const report = fixture.module.get(ClientsReport);
    expect(report.names()).toEqual(['web', 'api']);
    expect(report.options.clients[0]).toMatchObject({ name: 'web', tokenTtl: 3600, maxTokensPerUser: null });
  });
});
