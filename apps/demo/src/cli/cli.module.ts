import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MultiTokenAuthModule, ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import type { DemoConfig } from '../config/demo.config';
import { demoAuthOptions } from '../demo-auth.options';
import { demoDataSourceOptions } from '../demo-database';
import { CliExitCodes } from './cli-exit-codes';
import { ClientsCreateCommand } from './clients-create.command';
import { ClientsDeleteCommand } from './clients-delete.command';
import { ClientsListCommand } from './clients-list.command';
import { ClientsUpdateCommand } from './clients-update.command';
import { ClientsCommand } from './clients.command';
import { TokensImportCommand } from './tokens-import.command';
import { TokensPurgeCommand } from './tokens-purge.command';
import { TokensRevokeCommand } from './tokens-revoke.command';
import { TokensCommand } from './tokens.command';

/** The demo's CLI: the same database, clients and library options as the web app, no HTTP. */
@Module({})
export class CliModule {
  static register(config: DemoConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        TypeOrmModule.forRoot(demoDataSourceOptions(config.database)),
        MultiTokenAuthModule.forRoot({
          ...demoAuthOptions(config, new ScryptPasswordHasher()),
          mountControllers: false,
        }),
      ],
      providers: [
        CliExitCodes,
        ClientsCommand,
        ClientsCreateCommand,
        ClientsListCommand,
        ClientsUpdateCommand,
        ClientsDeleteCommand,
        TokensCommand,
        TokensPurgeCommand,
        TokensRevokeCommand,
        TokensImportCommand,
      ],
    };
  }
}
