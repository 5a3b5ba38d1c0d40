// Crash safety of Apply and Revert in the settings (PRODUCT.md §3/§4): commitApply or revert runs
// in a child process with the real keychain and is SIGKILLed after the new keychain entries are
// written but before settings.json names them, and after the switch but before the old entries
// are removed. The settings and the keychain must then agree (old state, or new), and the next
// change must succeed and leave no entries of other revisions behind.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { SECRET_IDS } from '../../../common/settings';
import { KeychainSecretStore, secretAccount, type SecretStage } from '../../../main/secrets';
import { SECRET_SWITCH_PAUSE_POINTS, SettingsRepository, settingsFilePath, type SecretSwitchPausePoint } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { describeWithServices, requireServices } from '../../support/services';

const probe = path.join(import.meta.dirname, 'fixtures', 'switch-and-pause.ts');

describeWithServices('Apply and Revert killed between the keychain and the settings file (real keychain)', () => {
  const service = `kmip-console-test-${randomBytes(4).toString('hex')}`;
  const store = new KeychainSecretStore(service);
  const profiles: string[] = [];
  let profile: string;
  let dataDir: string;
  let repo: SettingsRepository;

  function revisions(): { pendingRevision: number; appliedRevision: number } {
    return JSON.parse(readFileSync(settingsFilePath(dataDir), 'utf8')) as { pendingRevision: number; appliedRevision: number };
  }

  /** Revisions (0–9) of a stage that still have at least one keychain entry. */
  async function revisionsInKeychain(stage: SecretStage): Promise<number[]> {
    const found: number[] = [];
    for (let revision = 0; revision < 10; revision++) {
      for (const id of SECRET_IDS) {
        if ((await store.get(secretAccount(profile, stage, id, revision))) !== null) {
          found.push(revision);
          break;
        }
      }
    }
    return found;
  }

  async function killAt(operation: 'commitApply' | 'revert', point: SecretSwitchPausePoint): Promise<void> {
    const marker = path.join(dataDir, `paused-${point}`);
    const child = spawn(process.execPath, ['--import', 'tsx', probe, operation, dataDir, service, profile], {
      env: { ...process.env, KMIP_CONSOLE_TEST_PAUSE_AT: point, KMIP_CONSOLE_TEST_PAUSE_MARKER: marker },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!existsSync(marker)) {
      const early = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('waiting'), 50))]);
      if (early !== 'waiting') throw new Error(`${operation} exited (${String(early)}) before pausing at ${point}:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`${operation} did not reach ${point} within 30 s:\n${stderr}`);
    }
    child.kill('SIGKILL');
    await exited;
  }

  beforeEach(async () => {
    const { host, port, pki, pkiPassword } = requireServices();
    profile = `crash-${randomBytes(4).toString('hex')}`;
    profiles.push(profile);
    dataDir = scratchDir('kmip-switch-crash-');
    repo = new SettingsRepository({ dataDir, secrets: store, profile });
    await repo.saveField('serverName', 'PyKMIP lab');
    await repo.saveField('hostName', host);
    await repo.saveField('port', port);
    await repo.saveField('username', 'old-user');
    await repo.saveField('password', 'old-password');
    await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pki.clientCert });
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pki.clientEncryptedKey, password: pkiPassword });
    await repo.loadFile({ slot: 'caCert', format: 'pem', path: pki.caCert });
    await repo.commitApply(await repo.loadPending());
    // the new pending state: another user and password, and the unencrypted key (no key password)
    await repo.saveField('username', 'new-user');
    await repo.saveField('password', 'new-password');
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pki.clientKey });
  }, 60_000);

  afterAll(async () => {
    for (const name of profiles) {
      for (const stage of ['pending', 'applied'] as const) {
        for (let revision = 0; revision < 10; revision++) for (const id of SECRET_IDS) await store.delete(secretAccount(name, stage, id, revision));
      }
    }
  });

  it.each(SECRET_SWITCH_PAUSE_POINTS)('commitApply killed at %s: applied settings and applied secrets agree; the next Apply cleans up', async (point) => {
    const { pkiPassword } = requireServices();
    const before = revisions().appliedRevision;
    await killAt('commitApply', point);

    const reopened = new SettingsRepository({ dataDir, secrets: store, profile });
    const applied = await reopened.loadApplied();
    const secrets = await reopened.resolveSecrets('applied');
    if (point === 'secrets-staged') {
      expect(revisions().appliedRevision).toBe(before);
      expect(applied).toMatchObject({ username: 'old-user', clientKey: { password: { stored: true } } });
      expect(secrets).toEqual({ password: 'old-password', clientKeyPassword: pkiPassword });
    } else {
      expect(revisions().appliedRevision).toBe(before + 1);
      expect(applied).toEqual(await reopened.loadPending());
      expect(applied).toMatchObject({ username: 'new-user', clientKey: { password: { stored: false } } });
      expect(secrets).toEqual({ password: 'new-password' });
    }
    // Both revisions have entries now: the killed process left one behind.
    expect(await revisionsInKeychain('applied')).toEqual([before, before + 1]);

    // The lock of the killed process is taken over; afterwards only the current revision remains.
    const view = await reopened.commitApply(await reopened.loadPending());
    expect(view.applied).toMatchObject({ username: 'new-user' });
    expect(await reopened.resolveSecrets('applied')).toEqual({ password: 'new-password' });
    expect(await revisionsInKeychain('applied')).toEqual([revisions().appliedRevision]);
  }, 90_000);

  it.each(SECRET_SWITCH_PAUSE_POINTS)('revert killed at %s: pending settings and pending secrets agree', async (point) => {
    const { pkiPassword } = requireServices();
    const before = revisions().pendingRevision;
    await killAt('revert', point);

    const reopened = new SettingsRepository({ dataDir, secrets: store, profile });
    const pending = await reopened.loadPending();
    const secrets = await reopened.resolveSecrets('pending');
    if (point === 'secrets-staged') {
      expect(pending.username).toBe('new-user');
      expect(secrets).toEqual({ password: 'new-password' });
    } else {
      expect(pending).toEqual(await reopened.loadApplied());
      expect(secrets).toEqual({ password: 'old-password', clientKeyPassword: pkiPassword });
    }
    expect(await revisionsInKeychain('pending')).toEqual([before, before + 1]);

    await reopened.revert();
    expect(await reopened.resolveSecrets('pending')).toEqual({ password: 'old-password', clientKeyPassword: pkiPassword });
    expect(await revisionsInKeychain('pending')).toEqual([revisions().pendingRevision]);
  }, 90_000);
});
