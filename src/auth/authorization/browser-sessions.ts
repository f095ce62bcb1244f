// Sign-ins of browsers on the hosted login page: the one writer of `browser_sessions`. A browser
// session lets the next GET /authorize skip the login page; it is live only while its user exists, is
// not disabled and has the token version it had at sign-in, so a password change or reset, disabling
// and deletion end it as they end tokens.
import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import type { User } from '../../users/user.entity.js';
import { UsersService } from '../../users/users.service.js';
import { BrowserSession } from './browser-session.entity.js';

const hashOf = (id: string): string => createHash('sha256').update(id).digest('hex');

/** A cookie value is 256 bits in base64url; anything else is no session's, and is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

@Injectable()
export class BrowserSessions {
  constructor(
    @InjectRepository(BrowserSession) private readonly sessions: Repository<BrowserSession>,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  /** How long a new session lives, in seconds (the cookie's Max-Age). */
  get lifetimeSeconds(): number {
    return this.config.browserSessionHours * 3600;
  }

  /**
   * A new session for `user`: the id for the browser's cookie, 256 random bits, stored only as its
   * SHA-256. Ended sessions are deleted on the way, so the table holds about the live ones.
   */
  async open(user: User): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.sessions.delete({ expiresAt: LessThan(now) });
    await this.sessions.insert({ idHash: hashOf(id), userId: user.id, tokenVersion: user.tokenVersion, createdAt: now, expiresAt: now + this.lifetimeSeconds * 1000 });
    return id;
  }

  /** The user signed in with the session `id`, read afresh; null when the session is unknown, expired or ended. */
  async userOf(id: string | undefined): Promise<User | null> {
    if (!id || !SESSION_ID.test(id)) return null;
    const session = await this.sessions.findOneBy({ idHash: hashOf(id) });
    if (!session || session.expiresAt <= Date.now()) return null;
    const user = await this.users.findById(session.userId);
    if (!user || user.disabled || user.tokenVersion !== session.tokenVersion) return null;
    return user;
  }

  /** Ends the session `id`, if there is one. */
  async end(id: string | undefined): Promise<void> {
    if (!id || !SESSION_ID.test(id)) return;
    await this.sessions.delete({ idHash: hashOf(id) });
  }
}
