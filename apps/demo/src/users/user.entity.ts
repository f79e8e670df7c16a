import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The stored form of a username: NFKC (full-width "ａｌｉｃｅ" is "alice"), lower case ("Alice" is "alice"). */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** The demo's users. The app owns this table; the library only reads it. */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 150, unique: true })
  username!: string;

  /** scrypt hash from the library's `ScryptPasswordHasher`; never the password. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
