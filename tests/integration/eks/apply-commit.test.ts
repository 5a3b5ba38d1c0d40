// Apply commits the settings it used, never those saved while it ran (a second window or a
// `kmip-console settings set` during Apply): against the real PyKMIP server and OS keychain.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runApply, type ApplyRequest } from '../../../main/eks';
import { KeychainSecretStore } from '../../../main/secrets';
import { SettingsRepository } from '../../../main/settings';
import { readStoreHeader, storeFilePath } from '../../../main/store';
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
  async function applyRequest(): Promise<ApplyRequest> {
    const used = await settings.loadPending();
    return {
      dataDir: folder.dir,
      unlockKeys,
      connection: eksOptions(),
      disableEntropySeed: true,
      commitSettings: async () => void (await settings.commitApply(used)),
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
    expect(error.message).toMatch(/The pending settings were changed while this run used them \(Host Name, saved by another window/);
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
});
