import type { Type } from '@nestjs/common';
import { Entity, Index, JoinColumn, ManyToOne, RelationId } from 'typeorm';
import { AUTH_TOKENS_TABLE } from '../multi-token-auth.constants';
import { AuthClient } from './auth-client.entity';
import { AuthToken } from './auth-token.entity';

const tokenEntities = new WeakMap<Type<object>, Type<AuthToken>>();

/**
 * The token entity bound to the app's user entity (one class per user entity, made once).
 * The relation is what gives `auth_tokens.user_id` its real foreign key with `ON DELETE CASCADE`.
 */
export function authTokenEntityFor<U extends object>(userEntity: Type<U>): Type<AuthToken<U>> {
  const existing = tokenEntities.get(userEntity);
  if (existing) return existing as Type<AuthToken<U>>;

  class UserAuthToken extends AuthToken<U> {}
  Object.defineProperty(UserAuthToken, 'name', { value: 'AuthToken' });
  ManyToOne(() => userEntity, { onDelete: 'CASCADE', nullable: false })(UserAuthToken.prototype, 'user');
  JoinColumn({ name: 'user_id' })(UserAuthToken.prototype, 'user');
  RelationId((token: AuthToken<U>) => token.user)(UserAuthToken.prototype, 'userId');
  Index('UQ_auth_tokens_user_name', ['user', 'name'], { unique: true })(UserAuthToken);
  Index('IDX_auth_tokens_user_client', ['user', 'clientId'])(UserAuthToken);
  Entity(AUTH_TOKENS_TABLE)(UserAuthToken);

  tokenEntities.set(userEntity, UserAuthToken);
  return UserAuthToken;
}

/**
 * The entities to add to your TypeORM data source.
 *
 * @example
 * TypeOrmModule.forRoot({ type: 'better-sqlite3', entities: [User, ...multiTokenAuthEntities(User)] })
 */
export function multiTokenAuthEntities(userEntity: Type<object>): [Type<AuthClient>, Type<AuthToken>] {
  return [AuthClient, authTokenEntityFor(userEntity)];
}
