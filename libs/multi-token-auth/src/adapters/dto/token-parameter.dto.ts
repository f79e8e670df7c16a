import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The body of `POST /auth/introspect` (RFC 7662 §2.1) and `POST /auth/revoke` (RFC 7009 §2.1), as
 * `application/x-www-form-urlencoded` (what the RFCs name) or JSON. Other parameters (a client's
 * `client_id`, say) are ignored, as the RFCs allow.
 */
export class TokenParameterDto {
  /** The token asked about, or to revoke. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  token!: string;

  /** `access_token` or `refresh_token` (RFC 7009): a hint only; every token is looked up the same way. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  token_type_hint?: string;
}
