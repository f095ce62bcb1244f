import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { ClientsModule } from '../clients/clients.module.js';
import { CredentialsModule } from '../credentials/credentials.module.js';
import { PasswordModule } from '../password/password.module.js';
import { UsersModule } from '../users/users.module.js';
import { AUTH_PROPERTY } from './auth-context.js';
import { AuthController } from './auth.controller.js';
import { DiscoveryController } from './discovery.controller.js';
import { AuthService } from './auth.service.js';
import { AuthorizationCode } from './authorization/authorization-code.entity.js';
import { AuthorizationCodes } from './authorization/authorization-codes.js';
import { JwtAuthGuard } from './guards.js';
import { IntrospectionController } from './introspection.controller.js';
import { IntrospectionService } from './introspection.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { TokenChecks } from './token-checks.js';
import { LocalStrategy } from './local.strategy.js';
import { ProtectedController } from './protected.controller.js';
import { RefreshToken } from './sessions/refresh-token.entity.js';
import { SessionCleanup } from './sessions/session-cleanup.js';
import { SessionPurge } from './sessions/session-purge.js';
import { Session } from './sessions/session.entity.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokenService } from './access-token.service.js';
import { AuthorizationController } from './authorization/authorization.controller.js';
import { AuthorizationFlow } from './authorization/authorization-flow.js';
import { BrowserSession } from './authorization/browser-session.entity.js';
import { BrowserSessions } from './authorization/browser-sessions.js';
import { CsrfTokens } from './authorization/csrf-tokens.js';
import { SigningKeysModule } from '../signing-keys/signing-keys.module.js';

@Module({
  imports: [
    // The strategies' results go to `request.auth`, where `@Auth()` finds them.
    PassportModule.register({ property: AUTH_PROPERTY }),
    TypeOrmModule.forFeature([Session, RefreshToken, AuthorizationCode, BrowserSession]),
    PasswordModule,
    CredentialsModule,
    UsersModule,
    SigningKeysModule,
    ClientsModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // The key is chosen per token (AccessTokenService.sign): SigningKeys may change it while the service runs.
        signOptions: { algorithm: config.jwtAlgorithm, issuer: config.jwtIssuer, audience: config.jwtAudience },
      }),
    }),
  ],
  exports: [AuthorizationCodes],
  controllers: [ProtectedController, AuthController, SessionsController, DiscoveryController, IntrospectionController, AuthorizationController],
  providers: [AuthService, AuthorizationCodes, AccessTokenService, SessionsService, TokenChecks, IntrospectionService, SessionPurge, SessionCleanup, LocalStrategy, JwtStrategy, AuthorizationFlow, BrowserSessions, CsrfTokens, { provide: APP_GUARD, useClass: JwtAuthGuard }],
})
export class AuthModule {}
