// Save of a secret with no usable keychain: a clear error, and nothing persisted anywhere.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KeychainSecretStore, secretAccount } from '../../../main/secrets';
import { SettingsRepository, settingsFilePath } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { describeWithServices } from '../../support/services';

const probe = path.join(import.meta.dirname, 'fixtures', 'save-password.ts');

describeWithServices('Save of a secret without a keychain (real adapter)', () => {
  const service = `kmip-console-test-${randomBytes(4).toString('hex')}`;
  const profile = 'nokeychain';
  const store = new KeychainSecretStore(service);
  let dataDir: string;

  beforeAll(() => {
    dataDir = scratchDir('kmip-nokeychain-');
  });
  afterAll(async () => {
    await store.delete(secretAccount(profile, 'pending', 'password'));
  });

  function saveInChild(env: NodeJS.ProcessEnv, password: string): { ok: boolean; code?: string; field?: string; message?: string } {
    const result = spawnSync(process.execPath, ['--import', 'tsx', probe, dataDir, service, profile], { input: password, env, encoding: 'utf8', timeout: 30_000 });
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout.trim()) as { ok: boolean };
  }

  it('fails with SECRET_STORE_UNAVAILABLE and leaves the settings and the keychain as they were', async () => {
    const repo = new SettingsRepository({ dataDir, secrets: store, profile });
    await repo.saveField('serverName', 'before');
    expect(saveInChild(process.env, 'first-password')).toEqual({ ok: true });
    const before = readFileSync(settingsFilePath(dataDir), 'utf8');

    const secret = `never-stored-${randomBytes(8).toString('hex')}`;
    const result = saveInChild({ ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, secret);
    expect(result).toMatchObject({ ok: false, code: 'SECRET_STORE_UNAVAILABLE' });
    expect(result.message).toMatch(/Secret Service/);
    expect(result.message).not.toContain(secret);

    expect(readFileSync(settingsFilePath(dataDir), 'utf8')).toBe(before);
    expect(readdirSync(dataDir)).toEqual(['settings.json']);
    expect(await store.get(secretAccount(profile, 'pending', 'password'))).toBe('first-password');
  });
});
