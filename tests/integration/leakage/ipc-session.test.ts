// Secret leakage through the IPC handlers (issue 6 point 4): a full session — save every secret
// field (KMIP password and the five file passwords), Test, Apply, store secrets, backup, lose the
// local unlock, Recover — through the real handlers (main/app) over the real keychain and PyKMIP.
// Then no secret value may appear in any file under the data folder or the backup, in any IPC
// result or progress event (what the renderer receives), in console output or the settings audit
// log, or in any process's argv.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { SettingsView } from '../../../common/ipc';
import { entropyAtStart } from '../../../main/app/entropy-at-start';
import { createIpcHandlers } from '../../../main/app/handlers';
import { dispatchIpc } from '../../../main/app/ipc-dispatch';
import { KmipClient } from '../../../main/kmip';
import { KeychainSecretStore } from '../../../main/secrets';
import { SettingsRepository } from '../../../main/settings';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../../main/store';
import { LeakScanner, needlesOf, type Finding, type Secret } from '../../support/leak-scan';
import { credentialFiles, randomSecret } from '../../support/leak-session';
import { describeWithServices, requireServices } from '../../support/services';
import { eksOptions } from '../eks/eks-fixtures';

/** What the renderer and the logs received during the session. */
const transcript: { label: string; text: string }[] = [];
const secrets: Secret[] = [];
let work: string;
let dataDir: string;
let backupDir: string;

describeWithServices('secret leakage through the IPC handlers', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(requireServices().stateDir, 'leak-ipc-'));
    dataDir = path.join(work, 'data');
    backupDir = path.join(work, 'backup');
    await mkdir(dataDir);
    await mkdir(backupDir);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('the scanner finds a secret in each encoding it claims (control)', () => {
    const secret = randomSecret('control');
    const scanner = new LeakScanner([secret]);
    for (const needle of needlesOf(secret)) {
      expect(scanner.scan('control', Buffer.concat([Buffer.from('xx'), needle.bytes, Buffer.from('yy')])).length).toBeGreaterThan(0);
    }
    const wrapped = Buffer.concat([randomBytes(5), secret.value, randomBytes(7)]).toString('base64').replace(/(.{16})/g, '$1\n');
    expect(scanner.scan('wrapped base64', wrapped).map((f) => f.encoding)).toContain('base64');
    expect(scanner.scan('clean', randomBytes(4096).toString('base64'))).toEqual([]);
  });

  it('a full session leaves no secret in files, IPC results, logs or argv', async () => {
    const { pki } = requireServices();
    const fixtures = await credentialFiles(work, pki);
    const p = {
      testPassword: randomSecret('test-typed-password'),
      storeValue: randomSecret('store-secret-value'),
    };
    secrets.push(...fixtures.secrets, ...Object.values(p));

    const keychain = new KeychainSecretStore();
    const auditLog: string[] = [];
    const settings = new SettingsRepository({ dataDir, secrets: keychain, profile: `leak${Date.now()}`, log: (line) => auditLog.push(line) });
    const pickQueue: string[] = [];
    const handlers = createIpcHandlers({
      dataDir,
      settings,
      secrets: keychain,
      pickFile: async () => pickQueue.shift() ?? null,
      pickSaveFile: async () => path.join(backupDir, 'store-backup.kcs'),
      emitProgress: (event) => transcript.push({ label: `progress ${event.kind}`, text: JSON.stringify(event) }),
      entropyAtStart: entropyAtStart(settings),
    });
    const consoleLines: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map(String).join(' '));
      });
    }

    async function ipc(channel: string, request: unknown = {}): Promise<unknown> {
      const result = await dispatchIpc(handlers, channel, request);
      transcript.push({ label: `ipc ${channel}`, text: JSON.stringify(result) });
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    }

    /** What a window showing the settings now sends with Apply and recovery. */
    async function shownRevision(): Promise<string> {
      return ((await ipc('settings:get')) as SettingsView).settingsRevision;
    }

    try {
      const services = requireServices();
      await ipc('settings:saveField', { id: 'serverName', value: 'leak test' });
      await ipc('settings:saveField', { id: 'hostName', value: services.host });
      await ipc('settings:saveField', { id: 'port', value: services.port });
      await ipc('settings:saveField', { id: 'username', value: 'leak-user' });
      await ipc('settings:saveField', { id: 'password', value: fixtures.kmipPassword.value.toString() });
      for (const file of fixtures.files) {
        pickQueue.push(file.path);
        await ipc('settings:loadFile', { slot: file.slot, format: file.format, password: file.password.value.toString() });
      }

      const typed = (await ipc('eks:test', { runId: 't1', values: {}, password: { kind: 'new', value: p.testPassword.value.toString() } })) as { ok: boolean };
      expect(typed.ok).toBe(true);
      expect(((await ipc('eks:test', { runId: 't2', values: {}, password: { kind: 'stored' } })) as { ok: boolean }).ok).toBe(true);

      const applied = (await ipc('settings:apply', { runId: 'a1', settingsRevision: await shownRevision() })) as { adminKeyName: string };
      expect(await ipc('app:entropyStatus')).toMatchObject({ status: 'unavailable', by: 'apply' });
      await ipc('store:add', { name: 'leak-secret', value: p.storeValue.value.toString() });
      await ipc('store:generate', { name: 'leak-key', algorithm: 'AES', sizeBits: 256 });
      await ipc('store:list');
      await ipc('store:backup');

      // Lose the local unlock, then recover it from the key server.
      const unlockKeys = keychainUnlockKeys(keychain);
      const { storeId } = (await ObjectStore.open(storeFilePath(dataDir), unlockKeys)).header;
      const oldUnlock = await unlockKeys.load(storeId);
      if (oldUnlock) secrets.push({ label: 'old-local-unlock-key', value: Buffer.from(oldUnlock) });
      await unlockKeys.remove(storeId);
      expect(((await ipc('app:recoveryState')) as { state: string }).state).toBe('needs-recovery');
      await ipc('eks:recover', { runId: 'r1', source: 'store', settingsRevision: await shownRevision() });
      expect(((await ipc('app:recoveryState')) as { state: string }).state).toBe('ok');
      // Restore the backup over it (System Recovery Options → Restore from a backup file).
      pickQueue.push(path.join(backupDir, 'store-backup.kcs'));
      expect(await ipc('recovery:chooseBackup')).toMatchObject({ canceled: false, backup: { storeId, replaces: { storeId } } });
      await ipc('eks:recover', { runId: 'r2', source: 'backup', replaceStore: true, settingsRevision: await shownRevision() });
      expect(((await ipc('app:recoveryState')) as { state: string }).state).toBe('ok');

      // Key material created during the session: the Admin Key, the new local unlock, the generated key.
      const newUnlock = await unlockKeys.load(storeId);
      if (newUnlock) secrets.push({ label: 'local-unlock-key', value: Buffer.from(newUnlock) });
      const store = await ObjectStore.open(storeFilePath(dataDir), unlockKeys);
      secrets.push({ label: 'generated-store-key', value: Buffer.from(store.get('leak-key').value) });
      const direct = await KmipClient.connect(eksOptions());
      try {
        const [adminKeyId] = (await direct.locate({ name: applied.adminKeyName })).uniqueIdentifiers;
        if (!adminKeyId) throw new Error(`Admin Key ${applied.adminKeyName} not found on the server`);
        const adminKey = await direct.get(adminKeyId);
        secrets.push({ label: 'admin-key', value: Buffer.from(adminKey.keyBytes) });
      } finally {
        await direct.close();
      }
    } finally {
      vi.restoreAllMocks();
    }

    const scanner = new LeakScanner(secrets);
    const findings: Finding[] = [
      ...(await scanner.scanDir(dataDir)),
      ...(await scanner.scanDir(backupDir)),
      ...transcript.flatMap(({ label, text }) => scanner.scan(label, text)),
      ...auditLog.flatMap((line) => scanner.scan('settings audit log', line)),
      ...consoleLines.flatMap((line) => scanner.scan('console', line)),
      ...(await scanner.scanProcessArgs()),
    ];
    expect(findings).toEqual([]);
    // The session did produce what was scanned.
    expect(transcript.length).toBeGreaterThan(15);
    expect(secrets.length).toBeGreaterThanOrEqual(14);
  });
});
