import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { normalizeUsername } from './user.entity';

export class CreateUserDto {
  /** Normalised before it is checked: "Alice" and "ａｌｉｃｅ" both register (and sign in) as "alice". */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeUsername(value) : value))
  @IsString()
  @Matches(/^[A-Za-z0-9_.@-]{3,150}$/, { message: 'username must be 3-150 letters, digits or _ . @ -' })
  username!: string;

  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password!: string;
}

export class ChangePasswordDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  currentPassword!: string;

  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  newPassword!: string;
}

export class DeactivateDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password!: string;
}
