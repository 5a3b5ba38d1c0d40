// Apply commits the settings it used, never those saved while it ran (a second window or a
// `kmip-console settings set` during Apply): against the real PyKMIP server and OS keychain.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runApply, runRecover, type ApplyPausePoint, type ApplyRequest } from '../../../main/eks';
import { KeychainSecretStore } from '../../../main/secrets';
import { SettingsRepository } from '../../../main/settings';
import { ObjectStore, readStoreHeader, storeFilePath } from '../../../main/store';
import { describeWithServices } from '../../support/services';
import { dataFolder, eksOptions, failure, keychainKeys } from './eks-fixtures';

describeWithServices('Apply and the settings saved while it runs', () => {
  const unlockKeys = keychainKeys();
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let settings: SettingsRepository;

  beforeEach(async () => {
    folder = await dataFolder();
    settings = new SettingsRepository({ dataDir: folder.dir, secrets: new KeychainSecretStore(), profile: `commit-${Date.now()}` });
    await settings.saveField('serverName', 'pykmip');
    await settings.saveField('hostName', '127.0.0.1');
  });
  afterEach(async () => {
    await folder.remove();
  });

  /** Apply of the pending settings as the app runs it: read at the start, committed as read. */
  async function applyRequest(pauseAt?: (point: ApplyPausePoint) => Promise<void>): Promise<ApplyRequest> {
    const used = await settings.loadPending();
    return {
      dataDir: folder.dir,
      unlockKeys,
      connection: eksOptions(),
      disableEntropySeed: true,
      commitSettings: async () => void (await settings.commitApply(used)),
      ...(pauseAt ? { pauseAt } : {}),
    };
  }

  it('fails, and changes neither the store nor the applied settings, when the pending settings change during Apply', async () => {
    await runApply(await applyRequest(), () => undefined);
    const appliedBefore = await settings.loadApplied();
    const storeBefore = (await readStoreHeader(storeFilePath(folder.dir))).header;
    await settings.saveField('description', 'the change Apply was started for');

    const error = await failure(
      runApply(await applyRequest(), (step) => {
        // Another window saves a field while the key is being registered.
        if (step.id === 'register' && step.status === 'running') void settings.saveField('hostName', 'localhost');
      }),
    );
    expect(error.code).toBe('SETTINGS_CHANGED');
    expect(error.message).toMatch(/The pending settings were changed while this run used them \(Host Name, saved in another window or by a kmip-console command/);
    // The key registered by this attempt is named, as for any failure after Register.
    expect(error.message).toMatch(/admin-key\/2/);
    expect((await readStoreHeader(storeFilePath(folder.dir))).header).toEqual(storeBefore);
    expect(await settings.loadApplied()).toEqual(appliedBefore);
    expect(await settings.loadPending()).toMatchObject({ hostName: 'localhost', description: 'the change Apply was started for' });

    // Applied as they are now, by the operator's next Apply.
    const next = await runApply(await applyRequest(), () => undefined);
    expect(next.adminKeyGeneration).toBe(3);
    expect(await settings.loadApplied()).toMatchObject({ hostName: 'localhost', description: 'the change Apply was started for' });
  });

  describe('when another process also writes the store after the header write', () => {
    /** Apply pending settings that another window changes after the header write, while another process writes the store (`writeStore`). */
    async function applyRaced(writeStore: () => Promise<void>) {
      await runApply(await applyRequest(), () => undefined);
      await (await ObjectStore.open(storeFilePath(folder.dir), unlockKeys)).add({ name: 'before', kind: 'secret', value: Buffer.from('b') });
      const appliedBefore = await settings.loadApplied();
      const headerBefore = (await readStoreHeader(storeFilePath(folder.dir))).header;
      await settings.saveField('description', 'the change Apply was started for');
      const error = await failure(
        runApply(
          await applyRequest(async (point) => {
            if (point !== 'header-written') return;
            await writeStore();
            await settings.saveField('description', 'changed again meanwhile');
          }),
          () => undefined,
        ),
      );
      expect(error.code).toBe('SETTINGS_CHANGED');
      // the cause first, then what became of the key this attempt registered
      expect(error.message).toMatch(/^Apply the settings: The pending settings were changed while this run used them \(Description, saved in another window or by a kmip-console command/);
      expect(await settings.loadApplied()).toEqual(appliedBefore);
      return { error, headerBefore };
    }

    it('puts the previous header back, keeps the object stored meanwhile, and says the key it registered is unused', async () => {
      const { error, headerBefore } = await applyRaced(async () => {
        await (await ObjectStore.open(storeFilePath(folder.dir), unlockKeys)).add({ name: 'added-meanwhile', kind: 'secret', value: Buffer.from('kept') });
      });
      expect(error.message).toMatch(/The Admin Key this attempt registered, generation 2 "[^"]+\/admin-key\/2" \(unique identifier \S+\), stays on the key server unused: the store does not reference it/);
      const store = await ObjectStore.open(storeFilePath(folder.dir), unlockKeys);
      expect(store.header).toEqual(headerBefore);
      expect(store.list().map((o) => o.name)).toEqual(['before', 'added-meanwhile']);
      expect(store.get('added-meanwhile').value.toString()).toBe('kept');
    });

    it('when the header cannot be put back (a recovery rewrote it), says the store now uses the key it registered, to keep it, and to apply again', async () => {
      const { error } = await applyRaced(async () => {
        await runRecover({ dataDir: folder.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' } }, () => undefined);
      });
      const header = (await readStoreHeader(storeFilePath(folder.dir))).header;
      expect(header.adminKey?.generation).toBe(2);
      const storePath = storeFilePath(folder.dir);
      expect(error.message).toContain(
        `The previous store header could not be put back (${storePath} was changed by another kmip-console process since it was opened: retry.). ` +
          `${storePath} now uses the Admin Key this attempt registered, generation 2 "${header.adminKey?.name}" (unique identifier ${header.adminKey?.uniqueIdentifier}): ` +
          'KEEP that key on the key server, the store cannot be recovered without it. The settings were not applied: run Apply again.',
      );
      expect(error.message).not.toMatch(/remove it there|unused/);

      // Applied as they are now, by the operator's next Apply, with the objects.
      const next = await runApply(await applyRequest(), () => undefined);
      expect(next.adminKeyGeneration).toBe(3);
      expect(await settings.loadApplied()).toMatchObject({ description: 'changed again meanwhile' });
      expect((await ObjectStore.open(storePath, unlockKeys)).get('before').value.toString()).toBe('b');
    });
  });
});
