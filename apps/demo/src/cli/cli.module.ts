import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MultiTokenAuthModule, ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import { AuditTrailListener } from '../audit/audit-trail.listener';
import type { DemoConfig } from '../config/demo.config';
import { demoAuthOptions } from '../demo-auth.options';
import { demoDataSourceOptions } from '../demo-database';
import { CliProgramSetup } from './cli-program.setup';
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
        // One attempt: a CLI reports an unreachable database at once instead of retrying for half a minute.
        TypeOrmModule.forRoot({ ...demoDataSourceOptions(config.database), retryAttempts: 0 }),
        // The library's events reach the demo's audit trail, as the app's own revocations do.
        EventEmitterModule.forRoot(),
        MultiTokenAuthModule.forRoot({
          ...demoAuthOptions(config, new ScryptPasswordHasher()),
          mountControllers: false,
        }),
      ],
      providers: [
        CliProgramSetup,
        AuditTrailListener,
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
