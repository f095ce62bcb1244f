import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { requestOrigin } from '../common/request-origin.js';
import type { User } from '../users/user.entity.js';
import { AuthService } from './auth.service.js';

/** `POST /token`: checks the username and password of the form (already validated by the guard). */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'username', passwordField: 'password', session: false, passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string): Promise<User> {
    return this.auth.authenticateUser(username, password, requestOrigin(request));
  }
}
