// What System Recovery Options and `status` say of a store file that does not open: "damaged" only for a
// store file whose content is broken, where restoring a backup over it is the way out.
import { readFile, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { recoveryState } from '../../../main/eks';
import { ObjectStore, storeFilePath } from '../../../main/store';
import { scratchDir } from '../../support/scratch-dirs';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

it('calls a store of a newer format too new, not damaged: the store is whole, a newer kmip-console reads it', async () => {
  const dataDir = scratchDir('kmip-recovery-state-');
  const unlockKeys = new MemoryUnlockKeys();
  await (await ObjectStore.initialize(storeFilePath(dataDir), unlockKeys)).generate({ name: 'k', size: 32 }); // written with its first object
  const file = (await readFile(storeFilePath(dataDir), 'utf8')).replace(/"formatVersion":\d+/, '"formatVersion":99');
  await writeFile(storeFilePath(dataDir), file);
  const state = await recoveryState(dataDir, unlockKeys, true);
  expect(state).toMatchObject({ state: 'needs-recovery', cause: 'STORE_TOO_NEW', reason: expect.stringContaining('Use a newer kmip-console') });
  expect(state.damaged).toBeUndefined();
});
