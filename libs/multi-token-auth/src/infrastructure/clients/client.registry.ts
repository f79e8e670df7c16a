import { storedSettings } from '../../pure/options/client.definition';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { AuthClient } from '../../contracts/entities/auth-client.entity';
import { assertSchemaExists } from '../../pure/migrations/schema.check';
import { withDeadline } from '../storage/store.deadline';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/**
 * The API clients, held in memory: they are few and read-mostly, so the request path never queries
 * them. Loaded at start-up after the configured clients are created or updated, and reloaded when a
 * token names a client this process has not seen (one created by another instance).
 */
@Injectable()
export class ClientRegistry implements OnModuleInit {
  private readonly repository: Repository<AuthClient>;
  private readonly dataSource: DataSource;
  private byId = new Map<number, AuthClient>();
  private byName = new Map<string, AuthClient>();
  private reloading?: Promise<void>;

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    dataSource: DataSource,
  ) {
    this.dataSource = dataSource;
    this.repository = dataSource.getRepository(AuthClient);
  }

  async onModuleInit(): Promise<void> {
    await assertSchemaExists(this.dataSource);
    // `cookie` and rotation are how this app serves the client's tokens, not stored with the client.
    for (const definition of this.options.clients.map(storedSettings)) {
      const existing = await this.repository.findOneBy({ name: definition.name });
      if (existing) {
        await this.repository.update({ id: existing.id }, definition);
      } else {
        // Another instance may insert the same client at the same moment: ignore the conflict.
        await this.repository.createQueryBuilder().insert().values(definition).orIgnore().execute();
      }
    }
    await this.reload();
  }

  /** The client with this name, or `undefined`. */
  findByName(name: string): AuthClient | undefined {
    return this.byName.get(name);
  }

  /**
   * The client with this name; on a miss, looks it up in the database (one indexed query, as a
   * login's user lookup is) and, when another process such as the CLI created it, reloads the
   * clients to know it from then on.
   */
  async findOrReload(name: string): Promise<AuthClient | undefined> {
    const known = this.byName.get(name);
    if (known) return known;
    // Within `databaseTimeout`, as every request's wait on the database (503 past it).
    return withDeadline(this.options.databaseTimeout * 1000, 'client lookup', async () => {
      if (!(await this.repository.existsBy({ name }))) return undefined;
      await this.reload();
      return this.byName.get(name);
    });
  }

  /** The clients this process knows, by name. */
  list(): AuthClient[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The client with this id if this process knows it (no I/O, no promise: the hot path). */
  findById(id: number): AuthClient | undefined {
    return this.byId.get(id);
  }

  /** The client with this id; reloads once from the database on a miss. */
  async getById(id: number): Promise<AuthClient | undefined> {
    if (!this.byId.has(id))
      await withDeadline(this.options.databaseTimeout * 1000, 'client reload', () => this.reload());
    return this.byId.get(id);
  }

  private withOwnSettings(client: AuthClient): AuthClient {
    const own = this.options.clients.find((definition) => definition.name === client.name);
    if (!own) return client;
    return Object.assign(client, storedSettings(own));
  }

  /** Reads the clients again (one query at a time however many callers wait for it). */
  async reload(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        // The clients the options name keep the options' settings, whatever another process wrote.
        const clients = (await this.repository.find()).map((client) => this.withOwnSettings(client));
        this.byId = new Map(clients.map((client) => [client.id, client]));
        this.byName = new Map(clients.map((client) => [client.name, client]));
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }
}
