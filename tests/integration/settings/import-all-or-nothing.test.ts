// `settings import` saves every field and file of an export, or nothing: with the real OS keychain
// and real file-system faults (a folder where a file must be written), a failure after part of
// the import was written leaves the settings file, the keychain entries and the stored copies as
// they were, and says so.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { SECRET_IDS } from '../../../common/settings';
import { ExitCode } from '../../../main/cli/exit-codes';
import { FILE_PASSWORD_ENV, PASSWORD_ENV } from '../../../main/cli/secret-env';
import { KeychainSecretStore, secretAccount, type SecretStage } from '../../../main/secrets';
import { SettingsRepository, filesDir, settingsFilePath, type SecretSwitchPausePoint } from '../../../main/settings';
import { credentialFileName } from '../../../main/settings/credential-files';
import { scratchDir } from '../../support/scratch-dirs';
import { describeWithServices, requireServices } from '../../support/services';
import { runCli } from '../eks/eks-fixtures';

describeWithServices('settings import, all or nothing (real keychain, real file-system faults)', () => {
  const store = new KeychainSecretStore();
  const profiles: string[] = [];
  let dataDir: string;

  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, '--data-dir', dataDir], { env });

  /** The keychain prefix of the data folder (its settings file's keychainId). */
  function profile(): string {
    return (JSON.parse(readFileSync(settingsFilePath(dataDir), 'utf8')) as { keychainId: string }).keychainId;
  }

  /** Every keychain entry of the folder an import could write: both stages' first revisions and the files key. */
  async function keychain(): Promise<Record<string, string | null>> {
    const entries: Record<string, string | null> = {};
    const accounts = [`${profile()}/files-key`];
    for (const stage of ['pending', 'applied'] as SecretStage[]) {
      for (const revision of [0, 1, 2]) accounts.push(...SECRET_IDS.map((id) => secretAccount(profile(), stage, id, revision)));
    }
    for (const account of accounts) entries[account] = await store.get(account);
    return entries;
  }

  /** Everything the import could change, as an operator would find it. */
  async function observed(): Promise<{ settings: string; copies: string[]; keychain: Record<string, string | null> }> {
    return {
      settings: readFileSync(settingsFilePath(dataDir), 'utf8'),
      copies: existsSync(filesDir(dataDir)) ? readdirSync(filesDir(dataDir)).sort() : [],
      keychain: await keychain(),
    };
  }

  /** An export from another machine: fields, the KMIP password set, a certificate and its encrypted key. */
  function exportFile(): string {
    const { pki } = requireServices();
    const file = (filePath: string) => ({ format: 'pem', sourceName: path.basename(filePath), content: readFileSync(filePath).toString('base64') });
    const doc = {
      format: 'kmip-console-settings',
      version: 1,
      fields: { serverName: 'Imported EKS', hostName: 'kms.example.com', port: 5697 },
      passwordSet: true,
      files: { clientCert: file(pki.clientCert), clientKey: file(pki.clientEncryptedKey) },
    };
    const exported = path.join(scratchDir('kmip-import-export-'), 'export.json');
    writeFileSync(exported, JSON.stringify(doc));
    return exported;
  }

  const importEnv = (): NodeJS.ProcessEnv => ({ [PASSWORD_ENV]: 'new-secret', [FILE_PASSWORD_ENV.clientKey]: requireServices().pkiPassword });

  beforeEach(async () => {
    dataDir = scratchDir('kmip-import-all-');
    expect((await cli(['settings', 'set', 'serverName', 'Before'])).code).toBe(ExitCode.Ok);
    expect((await cli(['settings', 'set', 'password'], { [PASSWORD_ENV]: 'old-secret' })).code).toBe(ExitCode.Ok);
    expect((await cli(['settings', 'set', 'caCert', '--file', requireServices().pki.caBundle])).code).toBe(ExitCode.Ok);
    profiles.push(profile());
  });

  afterAll(async () => {
    for (const name of profiles) {
      await store.delete(`${name}/files-key`);
      for (const stage of ['pending', 'applied'] as SecretStage[]) {
        for (const revision of [0, 1, 2]) for (const id of SECRET_IDS) await store.delete(secretAccount(name, stage, id, revision));
      }
    }
  });

  it('the CLI saves nothing when the copy of the key cannot be written, after the key of the sealed copies was created in the keychain', async () => {
    const keyCopy = path.join(filesDir(dataDir), credentialFileName('clientKey', 'pem', readFileSync(requireServices().pki.clientEncryptedKey)));
    mkdirSync(path.join(keyCopy, 'blocker'), { recursive: true });
    const before = await observed();
    expect(before.keychain[`${profile()}/files-key`]).toBeNull();

    const failed = await cli(['settings', 'import', exportFile()], importEnv());
    expect(failed.code).toBe(ExitCode.Failed);
    expect(failed.stderr).toContain(`The copy of Key could not be written to ${keyCopy} (EISDIR)`);
    expect(failed.stderr).toContain('Nothing was imported: the pending settings, their keychain entries and the stored copies are as they were.');
    expect(await observed()).toEqual(before);

    rmSync(keyCopy, { recursive: true });
    const imported = await cli(['settings', 'import', exportFile()], importEnv());
    expect(imported.code, imported.stderr).toBe(ExitCode.Ok);
    const settings = new SettingsRepository({ dataDir, secrets: store });
    expect(await settings.loadPending()).toMatchObject({ serverName: 'Imported EKS', port: 5697 });
    expect(await settings.resolveSecrets('pending')).toEqual({ password: 'new-secret', clientKeyPassword: requireServices().pkiPassword });
    // The import switched to the next revision and removed the entries of the one before.
    expect(await store.get(secretAccount(profile(), 'pending', 'password', 0))).toBeNull();
  });

  it('puts the keychain back when the settings file cannot be written after the next revision was stored there', async () => {
    const before = await observed();
    const { pki, pkiPassword } = requireServices();
    let staged: Record<string, string | null> = {};
    const pauseAt = async (point: SecretSwitchPausePoint) => {
      if (point !== 'secrets-staged') return;
      staged = await keychain();
      // settings.json becomes a non-empty folder: the rename of the new settings onto it fails.
      rmSync(settingsFilePath(dataDir));
      mkdirSync(path.join(settingsFilePath(dataDir), 'blocker'), { recursive: true });
    };
    const settings = new SettingsRepository({ dataDir, secrets: store, pauseAt });
    const keychainId = profile();
    const error = await settings
      .importSettings({
        fields: { serverName: 'Imported EKS', password: 'new-secret' },
        files: { clientKey: { format: 'pem', bytes: readFileSync(pki.clientEncryptedKey), sourceName: 'client-encrypted.key', password: pkiPassword } },
      })
      .catch((caught: Error & { code?: string }) => caught);
    expect(error).toMatchObject({ code: 'SETTINGS_WRITE_FAILED', message: expect.stringContaining('Nothing was imported: the pending settings, their keychain entries and the stored copies are as they were.') });
    expect(staged[secretAccount(keychainId, 'pending', 'password', 1)]).toBe('new-secret');
    expect(staged[`${keychainId}/files-key`]).not.toBeNull();

    rmSync(settingsFilePath(dataDir), { recursive: true });
    writeFileSync(settingsFilePath(dataDir), before.settings);
    expect(await observed()).toEqual(before);
    expect(await new SettingsRepository({ dataDir, secrets: store }).resolveSecrets('pending')).toEqual({ password: 'old-secret' });
  });
});
