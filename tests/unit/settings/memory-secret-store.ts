// An in-process SecretStore for unit tests of the settings logic (the keychain adapter itself is
// tested against the real gnome-keyring in tests/integration/secrets). `failOn` makes chosen
// operations throw, to test that failures leave everything as it was.
import { SecretStoreError, type SecretStore } from '../../../main/secrets';

export class MemorySecretStore implements SecretStore {
  readonly entries = new Map<string, string>();
  failOn: { get?: boolean; set?: boolean; delete?: boolean; account?: RegExp } = {};
  /** runs after each successful set (fault injection between the keychain and the file write) */
  afterSet: (() => void) | undefined;

  private check(operation: 'get' | 'set' | 'delete', account: string): void {
    if (this.failOn[operation] && (!this.failOn.account || this.failOn.account.test(account))) {
      throw new SecretStoreError('SECRET_STORE_UNAVAILABLE', 'The OS keychain is not available (test).');
    }
  }

  async get(account: string): Promise<string | null> {
    this.check('get', account);
    return this.entries.get(account) ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    this.check('set', account);
    this.entries.set(account, value);
    this.afterSet?.();
  }

  async delete(account: string): Promise<boolean> {
    this.check('delete', account);
    return this.entries.delete(account);
  }
}
