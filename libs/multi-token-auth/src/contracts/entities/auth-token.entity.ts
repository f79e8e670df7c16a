import { Column, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { metadataTransformer, type TokenMetadata } from './metadata.transformer';
import { scopesTransformer } from './scopes.transformer';
import { countTransformer, quotaTransformer } from './quota.transformer';
import type { TokenQuota } from '../token-quota';
import { AuthClient } from './auth-client.entity';
import type { UserId } from '../user-id';

/**
 * One token: a device session or an API key. Only the SHA-256 digest of the secret is stored.
 *
 * This class holds the columns; the entity TypeORM maps is a subclass made by
 * `multiTokenAuthEntities(User)`, which adds the foreign key to the app's user table. Every record
 * the library hands out is an `instanceof AuthToken`.
 */
export abstract class AuthToken<U extends object = object> {
  /** Random UUID, not secret: safe in URLs and logs. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The owner, loaded when the token is verified. */
  user!: U;

  /** The owner's primary key, always loaded (no need to read it out of `user`). */
  userId!: UserId;

  @Column({ name: 'client_id', type: 'integer' })
  clientId!: number;

  @ManyToOne(() => AuthClient, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'client_id' })
  client!: AuthClient;

  /** Optional label ("Work laptop", an API key's name); unique per user when set. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  /** Hex SHA-256 of the token: the lookup key. */
  @Index('UQ_auth_tokens_digest', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  digest!: string;

  /** Set by the library (millisecond precision, from its clock), not by a database default. */
  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  /** `null` = never expires. Indexed: the purge of expired tokens reads it in batches. */
  @Index('IDX_auth_tokens_expires_at')
  @Column({ name: 'expires_at', type: Date, nullable: true })
  expiresAt!: Date | null;

  /** Coalesced: written at most once per `lastUsedUpdateInterval`. */
  @Column({ name: 'last_used_at', type: Date, nullable: true })
  lastUsedAt!: Date | null;

  /** The address of the use `lastUsedAt` records (written with it); `null` before its first write. */
  @Column({ name: 'last_ip', type: 'varchar', length: 45, nullable: true })
  lastIp!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip!: string | null;

  /**
   * What the token may do (`["orders:read"]`), sorted; `null` = every scope its client allows
   * (tokens issued before scopes existed, or on a client that declares none). What a check sees is
   * this list narrowed by the client's current `scopes`: `TokenService.scopesOf()`.
   */
  @Column({ type: 'text', nullable: true, transformer: scopesTransformer })
  scopes!: string[] | null;

  /**
   * `false` = paused (`PATCH /auth/api-keys/:id {"enabled": false}`): refused with 401
   * `key_disabled` until enabled again, and still listed, revocable and counted toward limits.
   */
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /**
   * The app's own JSON object (at most 4 KB as UTF-8 JSON), set when an API key is created or
   * changed; returned in lists and on `@CurrentToken()`. The library never uses it to authorise.
   */
  @Column({ type: 'text', nullable: true, transformer: metadataTransformer })
  metadata!: TokenMetadata | null;

  /**
   * Set on an API key rolled with an overlap (`POST /auth/api-keys/:id/roll`): the id of the key
   * that replaced it. It keeps working until its (shortened) expiry, has no name (its replacement
   * took it), and cannot be rolled again.
   */
  @Column({ name: 'replaced_by', type: 'varchar', length: 36, nullable: true })
  replacedBy!: string | null;

  /**
   * The addresses and CIDR networks the token may be used from (`["203.0.113.0/24", "2001:db8::/32"]`),
   * canonical and sorted; `null` = anywhere. From any other address: 403 `ip_not_allowed`.
   */
  @Column({ name: 'allowed_ips', type: 'text', nullable: true, transformer: scopesTransformer })
  allowedIps!: string[] | null;

  /**
   * The key's own rate limit, `"N/unit"` like `"100/m"`, counted on every authenticated request it
   * makes (not only `@ClientRateLimit()` routes); past it 429 `rate_limited`. `null` = none.
   */
  @Column({ name: 'rate_limit', type: 'varchar', length: 16, nullable: true })
  rateLimit!: string | null;

  /**
   * Refresh rotation (`rotateOnRefresh`): the id of the first token of the login this one descends
   * from. Set on both tokens of a rotation; `null` on a token never rotated.
   */
  @Column({ name: 'family_id', type: 'varchar', length: 36, nullable: true })
  familyId!: string | null;

  /**
   * Set when a refresh rotated this token out: it works until then (the client's `rotationGrace`);
   * presented after, it is taken as stolen (its family is revoked, 401 `token_reused`).
   */
  @Column({ name: 'grace_ends_at', type: Date, nullable: true })
  graceEndsAt!: Date | null;

  /**
   * The token's quota (`{"limit": 1000, "refill": {"amount": 1000, "every": "1d"}}`): each
   * authenticated request spends 1 unit (a `@TokenCost(n)` route n); none left, 429
   * `quota_exhausted`. `null` = none.
   */
  @Column({ type: 'text', nullable: true, transformer: quotaTransformer })
  quota!: TokenQuota | null;

  /** When `quota` was set (created, changed): with the id, what names its balance. */
  @Column({ name: 'quota_set_at', type: Date, nullable: true })
  quotaSetAt!: Date | null;

  /**
   * The units left as last written (at most one write per `lastUsedUpdateInterval`, at shutdown,
   * and on a roll); what is spent between writes lives in memory or Redis.
   */
  @Column({ name: 'quota_remaining', type: 'integer', nullable: true })
  quotaRemaining!: number | null;

  /** The start of the refill period `quotaRemaining` belongs to. */
  @Column({ name: 'quota_refilled_at', type: Date, nullable: true })
  quotaRefilledAt!: Date | null;

  /** How many changes the written balance is after the quota was set: a write of an older one is skipped. */
  @Column({ name: 'quota_seq', type: 'bigint', nullable: true, transformer: countTransformer })
  quotaSeq!: number | null;
}
