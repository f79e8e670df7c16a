import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MAX_ROLL_OVERLAP_SECONDS } from '../../services/tokens/token.roller';

/** `POST /auth/api-keys/:id/roll` body. */
export class RollApiKeyDto {
  /** How long the old key keeps working, in whole seconds: 0 (revoked now, the default) to 30 days. */
  @ValidateIf((_body, value) => value !== undefined)
  @IsInt()
  @Min(0)
  @Max(MAX_ROLL_OVERLAP_SECONDS)
  overlapSeconds?: number;

  /** The account's password, as for creating a key (not needed within `recentLoginWindow` of signing in). */
  @ValidateIf((_body, value) => value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password?: string;
}
