// Two object store changes sent at once from the window (a double click, an add during a generate)
// both take effect: main runs them one at a time, instead of refusing the second as if "another
// kmip-console process" had changed the store (explore report 6, finding 9). Real handlers and store.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoreObjectSummary } from '../../../common/ipc';
import { createIpcHandlers } from '../../../main/app/handlers';
import { dispatchIpc } from '../../../main/app/ipc-dispatch';
import { SettingsRepository } from '../../../main/settings';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../../main/store';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { adminRef } from '../store/admin-key-ref';

describe('object store changes from the window', () => {
  it('sent at once, all take effect, in the order sent', async () => {
    const dataDir = scratchDir('kmip-store-in-turn-');
    const secrets = new MemorySecretStore();
    const store = await ObjectStore.initialize(storeFilePath(dataDir), keychainUnlockKeys(secrets));
    await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1));
    const handlers = createIpcHandlers({
      dataDir,
      settings: new SettingsRepository({ dataDir, secrets }),
      secrets,
      pickFile: async () => null,
      pickSaveFile: async () => null,
      emitProgress: () => {},
      entropyAtStart: new Promise(() => {}),
    });
    const ipc = (channel: string, request: unknown) => dispatchIpc(handlers, channel, request);

    const results = await Promise.all([
      ipc('store:add', { name: 'first', value: 'one' }),
      ipc('store:generate', { name: 'key', algorithm: 'AES', sizeBits: 256 }),
      ipc('store:add', { name: 'second', value: 'two' }),
    ]);
    expect(results.map((result) => (result.ok ? 'ok' : result.error.message))).toEqual(['ok', 'ok', 'ok']);
    const listed = (await ipc('store:list', {})) as { ok: true; value: StoreObjectSummary[] };
    expect(listed.value.map((object) => object.name)).toEqual(['first', 'key', 'second']);
  });
});
