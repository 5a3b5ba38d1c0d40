// What the operator sees of the store and of "-" paths: `status` when the store's Admin Key is on
// another server than the applied settings (an Apply that did not finish), `store get` refusing
// bytes that a terminal would run as commands, and "-" as standard input or output (or refused)
// instead of a file called "-" in the working folder.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../main/cli';
import type { CliIo } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { ExitCode } from '../../../main/cli/exit-codes';
import { SettingsRepository } from '../../../main/settings';
import { ObjectStore, readStoreHeader, storeFilePath } from '../../../main/store';
import { runInMemory, type InMemoryRun } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

// The real context uses the system keychain; here secrets and unlock keys stay in memory.
let dataDir: string;
let settings: SettingsRepository;
let unlockKeys: MemoryUnlockKeys;
vi.mock('../../../main/cli/context', async (importActual) => ({
  ...(await importActual<typeof import('../../../main/cli/context')>()),
  createContext: async (io: CliIo, parsed: { json: boolean }): Promise<Partial<CliContext>> => ({ io, json: parsed.json, dataDir, settings, unlockKeys }),
}));

/** Where the tests run: a "-" written or read by mistake lands here, not in the repository. */
let workingFolder: string;
const startedIn = process.cwd();

beforeEach(() => {
  dataDir = scratchDir('kmip-cli-store-');
  settings = new SettingsRepository({ dataDir, secrets: new MemorySecretStore(), profile: 'cli' });
  unlockKeys = new MemoryUnlockKeys();
  workingFolder = scratchDir('kmip-cli-cwd-');
  process.chdir(workingFolder);
});
afterEach(() => {
  process.chdir(startedIn);
});

function run(args: string[], options: { stdin?: Buffer; terminal?: boolean } = {}): Promise<InMemoryRun> {
  return runInMemory((io) => main(args, io), { stdin: options.stdin, stdoutIsTerminal: options.terminal });
}

/** Settings applied for `host:port`, and a store whose Admin Key generation 1 is recorded on `storeServer`. */
async function appliedStore(storeServer: { host: string; port: number }, applied = { host: '192.0.2.10', port: 5696 }): Promise<ObjectStore> {
  await settings.saveField('serverName', 'Lab EKS');
  await settings.saveField('hostName', applied.host);
  await settings.saveField('port', applied.port);
  await settings.commitApply(await settings.loadPending());
  const store = await ObjectStore.initialize(storeFilePath(dataDir), unlockKeys);
  await store.installAdminKey(randomBytes(32), {
    generation: 1,
    name: `kmip-console/${store.header.storeId}/admin-key/1`,
    uniqueIdentifier: '42',
    objectType: 'SymmetricKey',
    server: { ...storeServer, certFingerprintSha256: null },
    registeredAt: new Date().toISOString(),
  });
  return store;
}

describe('status', () => {
  it('exits 0 when the store\'s Admin Key is on the server of the applied settings (host names compare without case)', async () => {
    await appliedStore({ host: 'KMS.example.com', port: 5696 }, { host: 'kms.example.com', port: 5696 });
    const status = await run(['status', '--data-dir', dataDir]);
    expect(status.code, status.stdout).toBe(ExitCode.Ok);
    expect(status.stdout).not.toContain('warning');
  });

  it('warns and exits 1 when the store\'s Admin Key is on the pending settings\' server, not the applied one: an Apply did not finish', async () => {
    await appliedStore({ host: '192.0.2.10', port: 19300 });
    await settings.saveField('port', 19300); // pending: the server the unfinished Apply registered on
    const status = await run(['status', '--data-dir', dataDir]);
    expect(status.code).toBe(ExitCode.Failed);
    const message =
      "the store's Admin Key (generation 1) is on 192.0.2.10:19300, but the applied settings connect to 192.0.2.10:5696, the pending settings' server: " +
      'an Apply did not finish (it was stopped after writing the store, before applying its settings). ' +
      'Run `kmip-console apply` again, so that the store and the applied settings name the same key server.';
    expect(status.stdout).toContain(`\nwarning: ${message}\n`);
    const json = await run(['status', '--json', '--data-dir', dataDir]);
    expect(json.code).toBe(ExitCode.Failed);
    expect(JSON.parse(json.stdout)).toMatchObject({
      store: { state: 'ok', adminKeyElsewhere: { store: '192.0.2.10:19300', applied: '192.0.2.10:5696', unfinishedApply: true, message } },
    });
  });

  it('warns with exit 0 when the Admin Key is recorded under an address neither settings use (a store recovered through another name)', async () => {
    await appliedStore({ host: '127.0.0.1', port: 5696 }, { host: 'localhost', port: 5696 });
    const status = await run(['status', '--data-dir', dataDir]);
    expect(status.code).toBe(ExitCode.Ok);
    expect(status.stdout).toContain(
      "\nwarning: the store's Admin Key (generation 1) is on 127.0.0.1:5696, but the applied settings connect to localhost:5696: " +
        'the store was recovered through another address. If both addresses reach the same key server, nothing is wrong;',
    );
  });
});

describe('store get', () => {
  const ESCAPES = Buffer.from('\u001b]0;owned\u0007\u001b[2J\u001b[31mRED');

  it('refuses to write a value that is not printable text to a terminal, and writes nothing', async () => {
    const store = await appliedStore({ host: '192.0.2.10', port: 5696 });
    await store.add({ name: 'esckey', kind: 'key', value: ESCAPES });
    await store.add({ name: 'random', kind: 'key', value: Buffer.from([0x00, 0xff, 0x9b, 0x41]) });
    await store.add({ name: 'bom', kind: 'secret', value: Buffer.from('\ufeffpassword') });
    await store.add({ name: 'soft', kind: 'secret', value: Buffer.from('pass\u00adword') });
    for (const name of ['esckey', 'random', 'bom', 'soft']) {
      const refused = await run(['store', 'get', name, '--data-dir', dataDir], { terminal: true });
      expect(refused.code).toBe(ExitCode.Usage);
      expect(refused.stdoutBytes.length).toBe(0);
      expect(refused.stderr).toBe(
        `kmip-console store get: the value of "${name}" is not printable text, and standard output is a terminal, which would run its control bytes as commands or hide its invisible characters: ` +
          'redirect it to a file (> FILE), or use --hex or --base64.\n',
      );
    }
    // --hex, or a file or pipe, gets the bytes as they are.
    expect((await run(['store', 'get', 'esckey', '--hex', '--data-dir', dataDir], { terminal: true })).stdout).toBe(`${ESCAPES.toString('hex')}\n`);
    expect((await run(['store', 'get', 'esckey', '--data-dir', dataDir])).stdoutBytes).toEqual(ESCAPES);
  });

  it('writes printable text, lines and tabs included, to a terminal', async () => {
    const store = await appliedStore({ host: '192.0.2.10', port: 5696 });
    await store.add({ name: 'text', kind: 'secret', value: Buffer.from('pa55 wörd\tline 1\nline 2 😀') });
    const shown = await run(['store', 'get', 'text', '--data-dir', dataDir], { terminal: true });
    expect(shown.code).toBe(ExitCode.Ok);
    expect(shown.stdout).toBe('pa55 wörd\tline 1\nline 2 😀');
  });
});

describe('"-" as a path', () => {
  it('store backup - writes the backup to standard output, its summary to stderr, and no file "-"', async () => {
    const store = await appliedStore({ host: '192.0.2.10', port: 5696 });
    await store.add({ name: 'db', kind: 'secret', value: Buffer.from('pa55word') });
    const backup = await run(['store', 'backup', '-', '--data-dir', dataDir]);
    expect(backup.code, backup.stderr).toBe(ExitCode.Ok);
    expect(backup.stderr).toMatch(/^backup of store \S+ \(1 objects\) written to standard output; opening it needs Admin Key generation 1 on 192\.0\.2\.10:5696\n$/);
    const saved = path.join(scratchDir('kmip-cli-backup-'), 'piped.backup');
    writeFileSync(saved, backup.stdoutBytes);
    expect(await readStoreHeader(saved)).toMatchObject({ kind: 'backup', objectCount: 1, header: { storeId: store.header.storeId } });
    expect(existsSync(path.join(workingFolder, '-'))).toBe(false);
  });

  it('store backup - --json is refused: both would go to standard output', async () => {
    await appliedStore({ host: '192.0.2.10', port: 5696 });
    const refused = await run(['store', 'backup', '-', '--json', '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.Usage);
    expect(refused.stderr).toBe('kmip-console store backup: "-" writes the backup to standard output, where --json writes its result: give a FILE, or leave out --json.\n');
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(existsSync(path.join(workingFolder, '-'))).toBe(false);
  });

  it('settings export - writes the export to standard output, and settings import - reads it from standard input', async () => {
    await settings.saveField('serverName', 'Lab EKS');
    await settings.saveField('hostName', 'kms.example.com');
    await settings.saveField('port', 15696);
    const exported = await run(['settings', 'export', '-', '--data-dir', dataDir]);
    expect(exported.code, exported.stderr).toBe(ExitCode.Ok);
    expect(exported.stderr).toBe('Pending settings exported to standard output (no secrets).\n');
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'kmip-console-settings', fields: { serverName: 'Lab EKS', port: 15696 } });
    expect(existsSync(path.join(workingFolder, '-'))).toBe(false);

    dataDir = scratchDir('kmip-cli-import-');
    settings = new SettingsRepository({ dataDir, secrets: new MemorySecretStore(), profile: 'cli' });
    const imported = await run(['settings', 'import', '-', '--data-dir', dataDir], { stdin: exported.stdoutBytes });
    expect(imported.code, imported.stderr).toBe(ExitCode.Ok);
    expect(imported.stdout).toContain('Settings imported from standard input into the pending settings');
    expect(await settings.loadPending()).toMatchObject({ serverName: 'Lab EKS', port: 15696 });

    const notAnExport = await run(['settings', 'import', '-', '--data-dir', dataDir], { stdin: Buffer.from('{}') });
    expect(notAnExport.code).toBe(ExitCode.DataError);
    expect(notAnExport.stderr).toContain('standard input is not a kmip-console settings export');
  });

  it('settings export - --json is refused: both would go to standard output', async () => {
    const refused = await run(['settings', 'export', '-', '--json', '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.Usage);
    expect(refused.stderr).toContain('kmip-console settings export: "-" writes the export to standard output, where --json writes its result: give a FILE, or leave out --json.');
    expect(existsSync(path.join(workingFolder, '-'))).toBe(false);
  });

  it.each([
    [['store', 'restore', '-'], 'kmip-console store restore: "-" (standard input) is not taken as the backup file: restoring reads the backup from a file'],
    [['recover', '--backup', '-'], 'kmip-console recover: "-" (standard input) is not taken as the backup file: restoring reads the backup from a file'],
    [['settings', 'set', 'caCert', '--file', '-'], 'kmip-console settings set: "-" (standard input) is not taken as --file of caCert: a certificate or key is loaded from a file'],
  ])('%j is refused as a usage error, naming ./- for a file called "-"', async (args, message) => {
    writeFileSync(path.join(workingFolder, '-'), 'a file called "-"');
    const refused = await run([...args, '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.Usage);
    expect(refused.stderr).toContain(message);
    expect(refused.stderr).toContain('A file called "-" is named ./-');
    expect(existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
  });

  it.each([
    ['decode', '42000d02000000040000000100000000', '"tag": "BatchCount"'],
    ['encode', '{"tag": "BatchCount", "type": "Integer", "value": 1}', '42000d02000000040000000100000000'],
  ])('ttlv %s --file - reads standard input', async (action, input, output) => {
    const converted = await run(['ttlv', action, '--file', '-'], { stdin: Buffer.from(input) });
    expect(converted.code, converted.stderr).toBe(ExitCode.Ok);
    expect(converted.stdout).toContain(output);
  });
});
