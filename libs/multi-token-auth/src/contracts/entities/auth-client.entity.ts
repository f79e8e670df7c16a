import { BaseEntity, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, type DataSource } from 'typeorm';
import { AUTH_CLIENTS_TABLE } from '../multi-token-auth.constants';
import { scopesTransformer } from './scopes.transformer';
import { useUtcTimeColumns } from './utc-time-columns';

/** An API client (web, mobile, cli, api…). Read-mostly: the library keeps them in memory. */
@Entity(AUTH_CLIENTS_TABLE)
export class AuthClient extends BaseEntity {
  /**
   * TypeORM calls this on every `BaseEntity` as soon as a data source has built its metadata, before
   * it synchronizes or runs migrations, and before any CLI diff: the one moment the library learns
   * which driver it runs on. The library's time columns take their PostgreSQL type (`timestamptz`)
   * here, because a decorator cannot name a type per driver (see `useUtcTimeColumns`). The library
   * itself never uses the Active Record methods this brings.
   */
  static override useDataSource(dataSource: DataSource | null): void {
    super.useDataSource(dataSource);
    if (dataSource) useUtcTimeColumns(dataSource);
  }

  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 50, unique: true })
  name!: string;

  /** Token lifetime in seconds; `null` = tokens never expire. */
  @Column({ name: 'token_ttl', type: 'integer', nullable: true })
  tokenTtl!: number | null;

  @Column({ name: 'max_tokens_per_user', type: 'integer', nullable: true })
  maxTokensPerUser!: number | null;

  /** `"N/s|m|h|d"`, validated when the client is created. */
  @Column({ name: 'throttle_rate', type: 'varchar', length: 32, nullable: true })
  throttleRate!: string | null;

  /** Sliding expiry: seconds without use after which a token expires; each use pushes it back. `null` = off. */
  @Column({ name: 'idle_timeout', type: 'integer', nullable: true })
  idleTimeout!: number | null;

  /** Seconds after its creation past which no use, refresh or renewal keeps a token alive. `null` = off. */
  @Column({ name: 'absolute_lifetime', type: 'integer', nullable: true })
  absoluteLifetime!: number | null;

  /** The scopes its tokens may hold, sorted; `null` = no restriction (every scope check passes). */
  @Column({ type: 'text', nullable: true, transformer: scopesTransformer })
  scopes!: string[] | null;

  /** The scopes a token gets when its login or creation names none; `null` = all of `scopes`. */
  @Column({ name: 'default_scopes', type: 'text', nullable: true, transformer: scopesTransformer })
  defaultScopes!: string[] | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
