import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** `POST /auth/api-keys` body. */
export class CreateApiKeyDto {
  /** Unique per user, 1–100 characters, not only spaces. */
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be empty' })
  name!: string;

  /** Lifetime in whole **days** (1–3650); omitted = the API-key client's TTL (demo: never expires). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}
