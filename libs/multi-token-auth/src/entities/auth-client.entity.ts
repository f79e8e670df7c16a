import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AUTH_CLIENTS_TABLE } from '../multi-token-auth.constants';

/** An API client (web, mobile, cli, api…). Read-mostly: the library keeps them in memory. */
@Entity(AUTH_CLIENTS_TABLE)
export class AuthClient {
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

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
