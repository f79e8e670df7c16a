import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { normalizeUsername } from './user.entity';

export class CreateUserDto {
  /** Normalised before it is checked: "Alice" and "ａｌｉｃｅ" both register (and sign in) as "alice". */
  @ApiProperty({
    pattern: '^[A-Za-z0-9_.@-]{3,150}$',
    description: 'Compared case-insensitively (stored NFKC + lower case).',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeUsername(value) : value))
  @IsString()
  @Matches(/^[A-Za-z0-9_.@-]{3,150}$/, { message: 'username must be 3-150 letters, digits or _ . @ -' })
  username!: string;

  @ApiProperty({ minLength: 8, maxLength: 1024, format: 'password' })
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 1024, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({ minLength: 8, maxLength: 1024, format: 'password' })
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  newPassword!: string;
}

export class DeactivateDto {
  @ApiProperty({ minLength: 1, maxLength: 1024, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password!: string;
}
