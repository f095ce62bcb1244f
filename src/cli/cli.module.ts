// The admin CLI's Nest module: configuration, the database, users, clients, password hashing and audit
// lines; none of the HTTP application (no controllers, no Redis, no demo data, no first superuser).
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InjectCommander } from 'nest-commander';
import type { AppConfig } from '../config/app-config.js';
import { OAuthClient } from '../clients/client.entity.js';
import { ClientsService } from '../clients/clients.service.js';
import { ConfigModule } from '../config/config.module.js';
import { dataSourceOptions } from '../database/data-source.js';
import { AuditLog } from '../observability/audit-log.js';
import { PasswordHasher } from '../password/password-hasher.js';
import { MailTransport } from '../mail/mail-transport.js';
import { Outbox } from '../mail/outbox.js';
import { OutboxMessage } from '../mail/outbox-message.entity.js';
import { AccountToken } from '../users/account-token.entity.js';
import { AccountTokens } from '../users/account-tokens.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { configureUsage, type Program } from './admin-command.js';
import { CliAuditLog } from './cli-audit-log.js';
import { CliDatabase } from './cli-database.js';
import { CreateClientCommand, DeleteClientCommand } from './commands/client.command.js';
import { CreateSuperuserCommand, CreateUserCommand } from './commands/create-user.command.js';
import { DisableUserCommand, EnableUserCommand } from './commands/disable-user.command.js';
import { HashPasswordCommand } from './commands/hash-password.command.js';
import { ImportUsersCommand } from './commands/import-users.command.js';
import { MigrateCommand } from './commands/migrate.command.js';
import { OutboxCommand } from './commands/outbox.command.js';
import { SendTestEmailCommand } from './commands/send-test-email.command.js';
import { RotateSigningKeyCommand } from './commands/rotate-signing-key.command.js';
import { SetPasswordCommand } from './commands/set-password.command.js';
import { SigningKey } from '../signing-keys/signing-key.entity.js';
import { SigningKeyStore } from '../signing-keys/signing-key-store.js';

const COMMANDS = [
  CreateUserCommand,
  CreateSuperuserCommand,
  SetPasswordCommand,
  DisableUserCommand,
  EnableUserCommand,
  ImportUsersCommand,
  MigrateCommand,
  HashPasswordCommand,
  OutboxCommand,
  SendTestEmailCommand,
  RotateSigningKeyCommand,
  CreateClientCommand,
  DeleteClientCommand,
];

@Module({})
export class CliModule {
  constructor(@InjectCommander() program: Program) {
    configureUsage(program.name('cli').description('Administer the users and the database of the OAuth2 service'));
  }

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        // Connected by CliDatabase.open, in the commands that need a database.
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl), manualInitialization: true }),
        TypeOrmModule.forFeature([User, OutboxMessage, AccountToken, SigningKey, OAuthClient]),
      ],
      providers: [
        // One hash per run: no queue, nothing to warm up (PasswordModule serves the HTTP service).
        PasswordHasher,
        UsersService,
        ClientsService,
        // Mail a command causes is written to the outbox; the running service's worker sends it.
        MailTransport,
        Outbox,
        AccountTokens,
        SigningKeyStore,
        { provide: AuditLog, useClass: CliAuditLog },
        CliDatabase,
        ...COMMANDS,
      ],
    };
  }
}
