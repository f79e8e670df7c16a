import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProfileController, RegistrationController } from './account.controller.js';
import { User } from './user.entity.js';

/** A feature module: the library's guard and providers reach it without importing anything. */
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [RegistrationController, ProfileController],
})
export class AccountModule {}
