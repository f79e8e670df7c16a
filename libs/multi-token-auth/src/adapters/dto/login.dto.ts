import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsScopeList } from '../../pure/validation/is-scope-list.decorator';
import { IsTokenName } from '../../pure/validation/is-token-name.decorator';

/** `POST /auth/login` body. Lengths are capped so no input makes hashing or storage expensive. */
export class LoginDto {
  /**
   * The login name, looked up in `user.usernameField`. A body may send it under that field's own
   * name instead (`email`…): `LoginUsernameInterceptor` moves it here before validation.
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  client!: string;

  /** Optional label for this session ("Work laptop"); unique per user; the same rules as an API key's name. */
  @IsOptional()
  @IsTokenName()
  name?: string;

  /**
   * The scopes the session asks for, a subset of the client's `scopes` (else 403
   * `scope_not_allowed`). Omitted: the client's `defaultScopes`, or all its scopes.
   */
  @ValidateIf((_body, value) => value !== undefined)
  @IsScopeList()
  scopes?: string[];
}
