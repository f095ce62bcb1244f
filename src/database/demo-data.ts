// The demo accounts of the tutorial and the posts that retell it (docs/architecture.md, "Data and
// migrations"), loaded at start-up when DEMO_DATA is on. Loading twice changes nothing: rows that
// exist are left as they are.
import { Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ItemsModule } from '../items/items.module.js';
import { ItemsService } from '../items/items.service.js';
import { UsersModule } from '../users/users.module.js';
import { UsersService, type HashedUser } from '../users/users.service.js';

interface DemoUser extends HashedUser {
  items: { item_id: string; title: string }[];
}

export const DEMO_USERS: DemoUser[] = [
  {
    // 000_*.txt, password "secret": the tutorial's own hash, byte for byte.
    username: 'johndoe',
    fullName: 'John Doe',
    email: 'johndoe@example.com',
    hashedPassword: '$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/P4uod1+Qof8h+1g7bbDlBID48Rc',
    disabled: false,
    items: [{ item_id: 'Foo', title: 'Foo' }],
  },
  {
    // 002_*.txt, password "secret".
    username: 'alice',
    fullName: 'Alice Wonderson',
    email: 'alice@example.com',
    hashedPassword: '$argon2id$v=19$m=65536,t=3,p=4$V/DddswunhlgfEP2UPW7HA$/2rRpVaRzIuoY0pWYAzgyjeuZcliO8Fb7MCXmTBHkZc',
    disabled: false,
    items: [],
  },
  {
    // 001_*.txt, password "secret" (bcrypt, as printed in the post).
    username: 'stanley',
    fullName: 'Stanley Jobson',
    email: 'Stanley.Jobson@localhost',
    hashedPassword: '$2b$12$HIbxs5kbjinDEUzbQJYqpeTp.GxRgy4m8hdQM4JnSunGQ6VaY5Ld6',
    disabled: false,
    items: [],
  },
  {
    // 001_*.txt, password "password" (bcrypt, as printed in the post).
    username: 'mike',
    fullName: 'Mike Doe',
    email: 'Mike.Doe@localhost',
    hashedPassword: '$2b$12$JAM3vz8gEZDeNSDAILiaReTmvoNM5EEP33Elhq5fCoTgno4SxfqKO',
    disabled: false,
    items: [],
  },
  {
    // Password "secret"; disabled, to show the "Inactive user" answers.
    username: 'eve',
    fullName: 'Eve Disabled',
    email: 'eve@example.com',
    hashedPassword: '$argon2id$v=19$m=65536,t=3,p=4$/y/A3LszFtIxyJZAzbBgDg$unlU5sVsH7kVOufiLUTmARuM17rviK7hWWnnyMlE0VU',
    disabled: true,
    items: [],
  },
];

@Injectable()
export class DemoDataLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataLoader.name);

  constructor(
    private readonly users: UsersService,
    private readonly items: ItemsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData) return;
    await this.load();
    this.logger.log(`Demo users available: ${DEMO_USERS.map((user) => user.username).join(', ')}`);
  }

  /** Each row is added unless it exists, through the tables' own services. */
  async load(): Promise<void> {
    for (const { items, ...demo } of DEMO_USERS) {
      // Demo addresses count as verified, so that they log in by email and no one can claim them.
      const owner = await this.users.addUnlessTaken({ ...demo, emailVerified: true });
      await this.items.addUnlessTaken(owner, items);
    }
  }
}

/** The demo data loader, above the modules whose tables it fills. */
@Module({
  imports: [UsersModule, ItemsModule],
  providers: [DemoDataLoader],
})
export class DemoDataModule {}
