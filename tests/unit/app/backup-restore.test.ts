// Restore from a backup file through the real IPC handlers (no key server needed: every case here
// is refused before connecting). The full restore against PyKMIP is in the e2e test.
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../../main/store';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { adminRef } from '../store/admin-key-ref';
import { shownRevision, windowIpc, type WindowIpc } from './window-ipc';

let dataDir: string;
let elsewhere: string;
let secrets: MemorySecretStore;
let picks: (string | null)[];
let saves: (string | null)[];
let ipc: WindowIpc;

beforeEach(() => {
  dataDir = scratchDir('kmip-restore-');
  elsewhere = scratchDir('kmip-restore-files-');
  secrets = new MemorySecretStore();
  picks = [];
  saves = [];
  ipc = windowIpc(dataDir, secrets, { pickFile: async () => picks.shift() ?? null, pickSaveFile: async () => saves.shift() ?? null });
});


/** An applied store with `objects` objects at `file`, as Apply leaves it. */
async function appliedStore(file: string, objects: number): Promise<ObjectStore> {
  const store = await ObjectStore.initialize(file, keychainUnlockKeys(secrets));
  for (let i = 0; i < objects; i += 1) await store.generate({ name: `key-${i}`, size: 32 });
  await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1, '42', 'eks.example'));
  return store;
}

describe('restore from a backup file (IPC handlers)', () => {
  it('describes the chosen backup and the store it would replace, and refuses the restore until that is confirmed', async () => {
    const backupFile = path.join(elsewhere, 'b.kcs');
    await (await appliedStore(path.join(elsewhere, 'other.kcs'), 2)).exportBackup(backupFile);
    const current = await appliedStore(storeFilePath(dataDir), 1);
    const before = await readFile(storeFilePath(dataDir));

    expect(await ipc('recovery:chooseBackup', {})).toEqual({ ok: true, value: { canceled: true } });
    picks.push(backupFile);
    const chosen = await ipc('recovery:chooseBackup', {});
    expect(chosen).toMatchObject({
      ok: true,
      value: {
        canceled: false,
        backup: {
          fileName: backupFile,
          kind: 'backup',
          adminKeyGeneration: 1,
          appliedOn: 'eks.example:5696',
          objectCount: 2,
          replaces: { storeId: current.header.storeId, objectCount: 1 },
        },
      },
    });
    const refused = await ipc('eks:recover', { runId: 'r1', source: 'backup', settingsRevision: await shownRevision(ipc) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BACKUP_OF_OTHER_STORE', message: expect.stringContaining(current.header.storeId) } });
    expect((await readFile(storeFilePath(dataDir))).equals(before)).toBe(true);
  });

  it('refuses a restore over the store the backup was made of until that is confirmed', async () => {
    const current = await appliedStore(storeFilePath(dataDir), 1);
    const backupFile = path.join(elsewhere, 'same.kcs');
    await current.exportBackup(backupFile);
    picks.push(backupFile);
    expect(await ipc('recovery:chooseBackup', {})).toMatchObject({
      ok: true,
      value: { backup: { storeId: current.header.storeId, replaces: { storeId: current.header.storeId, objectCount: 1 } } },
    });
    expect(await ipc('eks:recover', { runId: 'r1', source: 'backup', settingsRevision: await shownRevision(ipc) })).toMatchObject({ ok: false, error: { code: 'BACKUP_REPLACES_STORE' } });
  });

  it('refuses a file that is no store, and a store never applied, naming the file; neither can then be restored', async () => {
    const notAStore = path.join(elsewhere, 'ca.pem');
    await writeFile(notAStore, '-----BEGIN CERTIFICATE-----\n');
    const neverApplied = path.join(elsewhere, 'local-only.kcs');
    await (await ObjectStore.initialize(neverApplied, keychainUnlockKeys(secrets))).generate({ name: 'k', size: 16 });
    const backupFile = path.join(elsewhere, 'b.kcs');
    await (await appliedStore(path.join(elsewhere, 'applied.kcs'), 1)).exportBackup(backupFile);

    picks.push(backupFile, notAStore, neverApplied);
    expect(await ipc('recovery:chooseBackup', {})).toMatchObject({ ok: true, value: { canceled: false, backup: { replaces: null } } });
    expect(await ipc('recovery:chooseBackup', {})).toMatchObject({ ok: false, error: { code: 'STORE_UNREADABLE', message: expect.stringContaining(notAStore) } });
    // The earlier good choice is gone with the bad one: Recover does not restore a file no longer shown.
    expect(await ipc('eks:recover', { runId: 'r1', source: 'backup', settingsRevision: await shownRevision(ipc) })).toMatchObject({ ok: false, error: { code: 'BACKUP_NOT_CHOSEN' } });
    expect(await ipc('recovery:chooseBackup', {})).toMatchObject({ ok: false, error: { code: 'NO_ADMIN_KEY', message: expect.stringContaining(neverApplied) } });
    expect(await ipc('eks:recover', { runId: 'r2', source: 'backup', replaceStore: true, settingsRevision: await shownRevision(ipc) })).toMatchObject({ ok: false, error: { code: 'BACKUP_NOT_CHOSEN' } });
  });

  it('says so when the chosen backup is gone by the time of Recover, and leaves the data folder as it was', async () => {
    const current = await appliedStore(storeFilePath(dataDir), 1);
    const before = await readFile(storeFilePath(dataDir));
    const backupFile = path.join(elsewhere, 'usb-stick.kcs');
    await (await appliedStore(path.join(elsewhere, 'other.kcs'), 2)).exportBackup(backupFile);
    picks.push(backupFile);
    expect(await ipc('recovery:chooseBackup', {})).toMatchObject({ ok: true, value: { backup: { replaces: { storeId: current.header.storeId } } } });
    await rm(backupFile);
    expect(await ipc('eks:recover', { runId: 'r1', source: 'backup', replaceStore: true, settingsRevision: await shownRevision(ipc) })).toMatchObject({
      ok: false,
      error: { code: 'BACKUP_NOT_FOUND', message: expect.stringContaining(`The backup file ${backupFile} is not there`) },
    });
    expect(await readFile(storeFilePath(dataDir))).toEqual(before);
  });

  it('says where a backup cannot be written, and writes none there', async () => {
    await appliedStore(storeFilePath(dataDir), 1);
    const missingFolder = path.join(elsewhere, 'unplugged-usb', 'b.kcs');
    saves.push(missingFolder, elsewhere);
    expect(await ipc('store:backup', {})).toMatchObject({
      ok: false,
      error: { code: 'FILE_UNWRITABLE', message: expect.stringContaining(`the folder "${path.dirname(missingFolder)}" does not exist`) },
    });
    expect(await ipc('store:backup', {})).toMatchObject({ ok: false, error: { code: 'FILE_UNWRITABLE', message: expect.stringContaining('is a folder, not a file') } });
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('refuses an eks:recover request without a source', async () => {
    expect(await ipc('eks:recover', { runId: 'r1' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });
});
