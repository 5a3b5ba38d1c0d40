// An in-memory LocalUnlockKeys for unit tests of the store (the keychain-backed one is tested in integration).
import type { LocalUnlockKeys } from '../../../main/store';

export class MemoryUnlockKeys implements LocalUnlockKeys {
  readonly keys = new Map<string, Buffer>();
  async load(storeId: string): Promise<Buffer | null> {
    return this.keys.get(storeId) ?? null;
  }
  async save(storeId: string, key: Buffer): Promise<void> {
    this.keys.set(storeId, Buffer.from(key));
  }
  async remove(storeId: string): Promise<void> {
    this.keys.delete(storeId);
  }
}
