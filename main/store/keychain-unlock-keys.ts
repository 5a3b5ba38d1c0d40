// LocalUnlockKeys over any string-valued keychain (main/secrets' SecretStore fits this shape).
import type { LocalUnlockKeys } from './object-store';

/** The part of a keychain the store needs; main/secrets' SecretStore satisfies it. */
export interface StringKeychain {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** Keychain account holding a store's local unlock key (base64). */
export function localUnlockAccount(storeId: string): string {
  return `store/${storeId}/local-unlock`;
}

export function keychainUnlockKeys(keychain: StringKeychain): LocalUnlockKeys {
  return {
    async load(storeId) {
      const value = await keychain.get(localUnlockAccount(storeId));
      return value === null ? null : Buffer.from(value, 'base64');
    },
    async save(storeId, key) {
      await keychain.set(localUnlockAccount(storeId), key.toString('base64'));
    },
    async remove(storeId) {
      await keychain.delete(localUnlockAccount(storeId));
    },
  };
}
