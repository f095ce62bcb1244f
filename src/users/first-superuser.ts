import { HttpException, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { describeRefusal } from '../common/http-error.js';
import { AppConfig, ConfigError } from '../config/app-config.js';
import { UsersService } from './users.service.js';

/** Creates FIRST_SUPERUSER at start-up when it is set and the name is free. */
@Injectable()
export class FirstSuperuser implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstSuperuser.name);

  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wanted = this.config.firstSuperuser;
    if (!wanted || (await this.users.findByUsername(wanted.username))) return;
    try {
      await this.users.create({ username: wanted.username, password: wanted.password, is_superuser: true });
      this.logger.log(`Created superuser ${wanted.username}`);
    } catch (error) {
      // Another instance starting at the same time created it first.
      if (await this.users.findByUsername(wanted.username)) return;
      // A name or password the sign-up rules refuse: the operator's to fix, in one line.
      if (error instanceof HttpException && error.getStatus() < 500) throw new ConfigError(`FIRST_SUPERUSER is refused: ${describeRefusal(error)}`);
      throw error;
    }
  }
}
