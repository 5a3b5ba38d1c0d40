// Two object store changes sent at once from the window (a double click, an add during a generate)
// both take effect: main runs them one at a time, instead of refusing the second as if "another
// kmip-console process" had changed the store (explore report 6, finding 9); a change made to the file
// between the window's read and write (an Apply of this process, or another process) does not refuse an
// add either (explore report 9, finding 6). Real handlers and store.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoreObjectSummary } from '../../../common/ipc';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../../main/store';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { adminRef } from '../store/admin-key-ref';
import { windowIpc } from './window-ipc';

async function windowWithStore(secrets = new MemorySecretStore()) {
  const dataDir = scratchDir('kmip-store-in-turn-');
  const store = await ObjectStore.initialize(storeFilePath(dataDir), keychainUnlockKeys(secrets));
  await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1));
  return { dataDir, ipc: windowIpc(dataDir, secrets) };
}

describe('object store changes from the window', () => {
  it('sent at once, all take effect, in the order sent', async () => {
    const { ipc } = await windowWithStore();
    const results = await Promise.all([
      ipc('store:add', { name: 'first', value: 'one' }),
      ipc('store:generate', { name: 'key', algorithm: 'AES', sizeBits: 256 }),
      ipc('store:add', { name: 'second', value: 'two' }),
    ]);
    expect(results.map((result) => (result.ok ? 'ok' : result.error.message))).toEqual(['ok', 'ok', 'ok']);
    const listed = (await ipc('store:list', {})) as { ok: true; value: StoreObjectSummary[] };
    expect(listed.value.map((object) => object.name)).toEqual(['first', 'key', 'second']);
  });

  it('an add whose read is overtaken by another change of the file is made on the file as it is now', async () => {
    const secrets = new MemorySecretStore();
    const { dataDir, ipc } = await windowWithStore(secrets);
    // The window reads the store, then (while it looks up the local unlock key) another writer adds an object.
    const unlockKeys = keychainUnlockKeys(secrets);
    let overtake = true;
    const get = secrets.get.bind(secrets);
    secrets.get = async (account) => {
      if (overtake) {
        overtake = false;
        await (await ObjectStore.open(storeFilePath(dataDir), unlockKeys)).add({ name: 'by-apply', kind: 'secret', value: Buffer.from('x') });
      }
      return get(account);
    };
    const added = await ipc('store:add', { name: 'by-window', value: 'y' });
    expect(added.ok ? 'ok' : added.error.message).toBe('ok');
    const listed = (await ipc('store:list', {})) as { ok: true; value: StoreObjectSummary[] };
    expect(listed.value.map((object) => object.name).sort()).toEqual(['by-apply', 'by-window']);
  });
});
