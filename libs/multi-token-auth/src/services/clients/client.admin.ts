import { Inject, Injectable } from '@nestjs/common';
import { Brackets, DataSource } from 'typeorm';
import { AuthClient } from '../../contracts/entities/auth-client.entity';
import { authTokenEntityFor } from '../../contracts/entities/auth-entities.factory';
import type { ClientDefinition } from '../../contracts/multi-token-auth.options';
import { checkAll, OptionError } from '../../pure/options/option.checks';
import { CLIENT_CHECKS } from '../../pure/options/options.schema';
import { TokenService } from '../tokens/token.service';
import { ClientAdminError } from './client-admin.errors';
import {
  APP_ONLY_CLIENT_SETTINGS,
  resolveClient,
  storedSettings,
  type AppOnlyClientSetting,
  type ResolvedClient,
} from '../../pure/options/client.definition';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import { Clock } from '../../contracts/clock/clock.interface';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { UserId } from '../../contracts/user-id';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** How many times `remove` looks again for tokens issued while it revoked. */
const REVOKE_PASSES = 3;

/** A stored client, with where its settings come from and how many unexpired tokens it has. */
export interface ClientSummary extends Omit<ResolvedClient, AppOnlyClientSetting> {
  id: number;
  /** `options`: the module's `clients` option sets it at every start-up; `database`: made at run time (the CLI). */
  source: 'options' | 'database';
  activeTokens: number;
}

/** What `create` and `update` take: everything a client stores (`cookie` and rotation live in the options only). */
export type StoredClientDefinition = Omit<ClientDefinition, AppOnlyClientSetting>;

/**
 * Clients managed at run time, as durin's admin and `create_client` command do: list, create,
 * update and delete clients in `auth_clients`. The module's `clients` option stays the source of
 * truth for the clients it names (they are written at every start-up), so those are refused here;
 * the others are left alone by start-up.
 */
@Injectable()
export class ClientAdmin {
  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    private readonly dataSource: DataSource,
    private readonly registry: ClientRegistry,
    private readonly tokens: TokenService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async list(): Promise<ClientSummary[]> {
    await this.registry.reload();
    const rows = await this.unexpired()
      .select('token.client_id', 'clientId')
      .addSelect('COUNT(*)', 'count')
      .groupBy('token.client_id')
      .getRawMany<{ clientId: number | string; count: number | string }>();
    const counts = new Map(rows.map((row) => [Number(row.clientId), Number(row.count)]));
    return this.registry.list().map(({ createdAt: _createdAt, ...client }) => ({
      ...client,
      source: this.fromOptions(client.name) ? 'options' : 'database',
      activeTokens: counts.get(client.id) ?? 0,
    }));
  }

  async create(definition: StoredClientDefinition): Promise<ClientSummary> {
    const client = this.check(definition);
    if (await this.find(client.name))
      throw new ClientAdminError('client_exists', `Client "${client.name}" already exists.`);
    await this.repository().insert(storedSettings(client));
    return this.summary(client.name);
  }

  /** Changes the given settings; `null` turns one off, an absent one stays as it is. */
  async update(name: string, changes: Omit<StoredClientDefinition, 'name'>): Promise<ClientSummary> {
    const { id, createdAt: _createdAt, ...current } = await this.editable(name);
    const client = this.check({ ...current, ...changes, name });
    const { name: _name, ...stored } = storedSettings(client);
    await this.repository().update({ id }, stored);
    return this.summary(name);
  }

  /**
   * Deletes the client. With unexpired tokens it is refused (`client_in_use`, with their count)
   * unless `force`, which revokes them first, user by user, as a logout would (events, caches and
   * the Redis bus included). Returns how many tokens it ended.
   */
  async remove(name: string, options: { force?: boolean | undefined } = {}): Promise<number> {
    const client = await this.editable(name);
    const count = (await this.holders(client.id)).reduce((sum, [, tokens]) => sum + tokens, 0);
    if (count > 0 && !options.force) {
      throw new ClientAdminError(
        'client_in_use',
        `Client "${name}" has ${count} unexpired token(s); --force revokes them and deletes it.`,
        count,
      );
    }
    // A running app may issue a token while this revokes: look again, a few times, before deleting.
    let revoked = 0;
    for (let pass = 0; pass < REVOKE_PASSES; pass++) {
      const holders = await this.holders(client.id);
      if (holders.length === 0) break;
      for (const [userId] of holders) {
        revoked += await this.tokens.revokeAll(userId, { clientId: client.id, reason: 'client-delete' });
      }
    }
    // What is left (expired rows, or a login in the last instant) goes with the client (ON DELETE CASCADE).
    await this.repository().delete({ id: client.id });
    await this.registry.reload();
    return revoked;
  }

  /** The users with unexpired tokens of this client, and how many each has. */
  private async holders(clientId: number): Promise<[UserId, number][]> {
    const rows = await this.unexpired()
      .select('token.user_id', 'userId')
      .addSelect('COUNT(*)', 'count')
      .andWhere('token.client_id = :clientId', { clientId })
      .groupBy('token.user_id')
      .getRawMany<{ userId: UserId; count: number | string }>();
    return rows.map((row) => [row.userId, Number(row.count)]);
  }

  /** The unexpired tokens, as a query to narrow and group. */
  private unexpired() {
    const now = this.clock.now();
    return this.dataSource
      .getRepository(authTokenEntityFor(this.options.user.entity))
      .createQueryBuilder('token')
      .where(new Brackets((q) => q.where('token.expires_at IS NULL').orWhere('token.expires_at > :now', { now })));
  }

  private check(definition: StoredClientDefinition): ResolvedClient {
    const appOnly = APP_ONLY_CLIENT_SETTINGS.find((setting) => setting in definition);
    if (appOnly) throw new ClientAdminError('invalid_client', `${appOnly} is set in the module options only.`);
    try {
      checkAll(definition, CLIENT_CHECKS, 'client');
      return resolveClient(definition, this.options.defaultTokenTtl);
    } catch (error) {
      if (error instanceof OptionError) throw new ClientAdminError('invalid_client', error.detail);
      throw error;
    }
  }

  private async editable(name: string): Promise<AuthClient> {
    if (this.fromOptions(name)) {
      throw new ClientAdminError(
        'client_set_by_options',
        `Client "${name}" is set by the module's clients option, which writes it at every start-up: change it there.`,
      );
    }
    const client = await this.find(name);
    if (!client) throw new ClientAdminError('client_not_found', `There is no client "${name}".`);
    return client;
  }

  private async summary(name: string): Promise<ClientSummary> {
    const summary = (await this.list()).find((client) => client.name === name);
    if (!summary) throw new ClientAdminError('client_not_found', `There is no client "${name}".`);
    return summary;
  }

  private find(name: string): Promise<AuthClient | null> {
    return this.repository().findOneBy({ name });
  }

  private fromOptions(name: string): boolean {
    return this.options.clients.some((client) => client.name === name);
  }

  private repository() {
    return this.dataSource.getRepository(AuthClient);
  }
}
