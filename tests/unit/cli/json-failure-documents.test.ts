// `test`, `entropy` and `status` with --json when they exit non-zero: stdout holds one document with
// `ok: false` and `error: { code, message }`, as for every other command (README "The operator command
// line"), next to the fields the command reports; a script reads `.ok` and `.error.code` alike.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StepReport } from '../../../common/ipc';
import { main } from '../../../main/cli';
import type { CliIo } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { ExitCode } from '../../../main/cli/exit-codes';
import { SecretStoreError } from '../../../main/secrets';
import { SettingsRepository } from '../../../main/settings';
import { ObjectStore, storeFilePath, type LocalUnlockKeys } from '../../../main/store';
import { runInMemory, type InMemoryRun } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';
import { closedPort } from '../../integration/eks/eks-fixtures';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

// The real context uses the system keychain; here secrets and unlock keys stay in memory.
let dataDir: string;
let settings: SettingsRepository;
let unlockKeys: LocalUnlockKeys;
vi.mock('../../../main/cli/context', async (importActual) => ({
  ...(await importActual<typeof import('../../../main/cli/context')>()),
  createContext: async (io: CliIo, parsed: { json: boolean }): Promise<Partial<CliContext>> => ({ io, json: parsed.json, dataDir, settings, unlockKeys }),
}));

beforeEach(() => {
  dataDir = scratchDir('kmip-cli-json-');
  settings = new SettingsRepository({ dataDir, secrets: new MemorySecretStore(), profile: 'cli' });
  unlockKeys = new MemoryUnlockKeys();
});

function run(args: string[]): Promise<InMemoryRun> {
  return runInMemory((io) => main([...args, '--json', '--data-dir', dataDir], io));
}

interface FailureDocument {
  ok: boolean;
  error: { code: string; message: string };
}

/** stdout as the one JSON document it must be, checked to be a failure with a code and a message. */
function failureDocument<T>(stdout: string): T & FailureDocument {
  const document = JSON.parse(stdout) as T & FailureDocument;
  expect(document.ok).toBe(false);
  expect(document.error.code).toMatch(/^[A-Z_]+$/);
  expect(document.error.message.trim()).not.toBe('');
  return document;
}

/** A store written to the data folder, whose local unlock key is in `unlockKeys`. */
async function storeInDataFolder(): Promise<ObjectStore> {
  const store = await ObjectStore.initialize(storeFilePath(dataDir), unlockKeys);
  await store.add({ name: 'db', kind: 'secret', value: Buffer.from('value') });
  return store;
}

/** Pending settings for a loopback port nothing listens on. */
async function settingsForClosedPort(): Promise<number> {
  const port = await closedPort();
  await settings.saveField('serverName', 'Lab EKS');
  await settings.saveField('hostName', '127.0.0.1');
  await settings.saveField('port', port);
  return port;
}

describe('test --json', () => {
  it('names the failed step\'s code and what to do in `error`, keeping the report, and exits 4 when nothing listens', async () => {
    const port = await settingsForClosedPort();
    const test = await run(['test']);
    expect(test.code, test.stderr).toBe(ExitCode.Unreachable);
    const report = failureDocument<{ startedAt: string; totalMs: number; steps: StepReport[] }>(test.stdout);
    const failed = report.steps.find((step) => step.status === 'fail')!;
    expect(failed).toMatchObject({ id: 'tcp', code: 'CONNECTION_REFUSED' });
    expect(report.error.code).toBe(failed.code);
    expect(report.error.message).toContain(`127.0.0.1:${port}`);
    expect(report.error.message).toContain(failed.fix);
    expect(report).toMatchObject({ startedAt: expect.any(String), totalMs: expect.any(Number) });
  });
});

describe('entropy --json', () => {
  it('adds ok: false and the cause\'s code and detail as `error` to the report, and exits 4 when nothing listens', async () => {
    const port = await settingsForClosedPort();
    await settings.commitApply(await settings.loadPending());
    const entropy = await run(['entropy']);
    expect(entropy.code, entropy.stderr).toBe(ExitCode.Unreachable);
    const report = failureDocument<{ status: string; bytes: number; code: string; detail: string }>(entropy.stdout);
    expect(report).toMatchObject({ status: 'failed', bytes: 0, code: 'CONNECTION_REFUSED' });
    expect(report.error).toEqual({ code: report.code, message: report.detail });
    expect(report.error.message).toContain(`127.0.0.1:${port}`);
  });

  it('prints the report alone when it exits 0', async () => {
    const entropy = await run(['entropy']);
    expect(entropy.code).toBe(ExitCode.Ok);
    expect(JSON.parse(entropy.stdout)).toEqual({ status: 'no-settings', bytes: 0, detail: expect.any(String) });
  });
});

describe('status --json', () => {
  it('says the store needs recovery in `error`, keeping the result, and exits 1 when its local unlock key is not in the keychain', async () => {
    const store = await storeInDataFolder();
    await unlockKeys.remove(store.header.storeId);
    const status = await run(['status']);
    expect(status.code).toBe(ExitCode.Failed);
    const result = failureDocument<{ dataDir: string; store: { state: string; reason: string; storeId: string } }>(status.stdout);
    expect(result.error.code).toBe('STORE_NEEDS_RECOVERY');
    expect(result.error.message).toContain(result.store.reason);
    expect(result).toMatchObject({ dataDir, store: { state: 'needs-recovery', cause: 'LOCAL_UNLOCK_MISSING', storeId: store.header.storeId } });
  });

  it('gives the keychain\'s error code, keeping the settings shown, and exits 5 when the keychain cannot be asked', async () => {
    await storeInDataFolder();
    const unavailable = new SecretStoreError('SECRET_STORE_UNAVAILABLE', 'The OS keychain is not available (read): no D-Bus session. Start it.');
    unlockKeys = { load: () => Promise.reject(unavailable), save: () => Promise.reject(unavailable), remove: () => Promise.reject(unavailable) };
    await settings.saveField('serverName', 'Lab EKS');
    const status = await run(['status']);
    expect(status.code).toBe(ExitCode.SecretUnavailable);
    const result = failureDocument<{ settings: { pendingChanges: string[] }; store: { state: string } }>(status.stdout);
    expect(result.error.code).toBe('SECRET_STORE_UNAVAILABLE');
    expect(result.error.message).toContain(unavailable.message);
    expect(result).toMatchObject({ settings: { pendingChanges: ['Server Name'] }, store: { state: 'keychain-unavailable' } });
  });

  it('prints the result alone when it exits 0', async () => {
    const status = await run(['status']);
    expect(status.code).toBe(ExitCode.Ok);
    const result = JSON.parse(status.stdout) as Record<string, unknown>;
    expect(result).not.toHaveProperty('ok');
    expect(result).not.toHaveProperty('error');
    expect(result).toMatchObject({ store: { state: 'no-store' } });
  });
});
