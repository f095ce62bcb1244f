import { Command, Option } from 'nest-commander';
import { SigningKeyStore } from '../../signing-keys/signing-key-store.js';
import { AdminCommand } from '../admin-command.js';
import { CliDatabase } from '../cli-database.js';

interface RotateOptions {
  json?: boolean;
}

/**
 * Adds a signing key that every running instance loads and publishes at once, and that signs only
 * once every copy of the published keys made before it has expired; the keys no longer published
 * are deleted. Needs the service's SECRET_KEY, under which the new private key is stored.
 */
@Command({ name: 'rotate-signing-key', description: 'Add a new ES256/RS256 signing key: published now, signing after JWKS_MAX_AGE_SECONDS and a reload' })
export class RotateSigningKeyCommand extends AdminCommand {
  constructor(
    private readonly store: SigningKeyStore,
    private readonly database: CliDatabase,
  ) {
    super();
  }

  async run(_arguments: string[], options: RotateOptions): Promise<void> {
    await this.database.open();
    const { kid, signsFrom, removed } = await this.store.rotate();
    if (options.json) {
      this.say(JSON.stringify({ kid, signs_from: new Date(signsFrom).toISOString(), removed }));
      return;
    }
    this.say(`Published signing key ${kid}; it signs from ${new Date(signsFrom).toISOString()}.`);
    if (removed.length > 0) this.say(`Removed ${removed.length} key${removed.length === 1 ? '' : 's'} no longer published: ${removed.join(', ')}.`);
  }

  @Option({ flags: '--json', description: 'print {"kid", "signs_from", "removed"} as one line' })
  parseJson(): boolean {
    return true;
  }
}
