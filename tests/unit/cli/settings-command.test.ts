// `settings show|set|import`, `status` and `test` as an operator reads them: an aligned table, the
// Verify=off warning wherever settings are saved or summed up, a fix that names the IPv6 zone, and an
// import that saves all of its fields or none.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, verifyOffWarning } from '../../../common/settings';
import { characterCount } from '../../../common/text';
import type { CliIo } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { ExitCode } from '../../../main/cli/exit-codes';
import { FILE_PASSWORD_ENV, PASSWORD_ENV } from '../../../main/cli/secret-env';
import { SettingsRepository, filesDir, settingsFilePath } from '../../../main/settings';
import { credentialFileName } from '../../../main/settings/credential-files';
import { runInMemory, terminalStdin, type InMemoryRun } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';
import { pkiBytes, pkiPassword, testPkiDir } from '../pki/test-pki';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

// The real context uses the system keychain; here secrets and unlock keys stay in memory.
let dataDir: string;
let secrets: MemorySecretStore;
let settings: SettingsRepository;
vi.mock('../../../main/cli/context', async (importActual) => ({
  ...(await importActual<typeof import('../../../main/cli/context')>()),
  createContext: async (io: CliIo, parsed: { json: boolean }): Promise<Partial<CliContext>> => ({
    io,
    json: parsed.json,
    dataDir,
    settings,
    unlockKeys: new MemoryUnlockKeys(),
  }),
}));
const { settingsCommand } = await import('../../../main/cli/commands/settings');
const { statusCommand } = await import('../../../main/cli/commands/status');
const { testCommand } = await import('../../../main/cli/commands/test');

beforeEach(() => {
  dataDir = scratchDir('kmip-cli-settings-');
  secrets = new MemorySecretStore();
  settings = new SettingsRepository({ dataDir, secrets, profile: 'cli' });
});

function run(
  command: typeof settingsCommand,
  args: string[],
  options: { env?: Record<string, string>; stdin?: NodeJS.ReadableStream; onStderr?: (text: string) => void } = {},
): Promise<InMemoryRun> {
  return runInMemory((io) => command.run(args, io), options);
}

const VERIFY_OFF = verifyOffWarning({ ...defaultSettings(), verify: false })!.message;

describe('settings show', () => {
  it('--json prints the pending and applied settings and the data folder, not the revisions a window sends back', async () => {
    await settings.saveField('description', 'shown');
    const shown = await run(settingsCommand, ['show', '--json']);
    expect(shown.code).toBe(ExitCode.Ok);
    const printed = JSON.parse(shown.stdout) as Record<string, unknown>;
    expect(Object.keys(printed).sort()).toEqual(['applied', 'dataDir', 'pending']);
    expect(printed).toEqual({ pending: (await settings.view()).pending, applied: null, dataDir });
  });

  it('aligns the applied column after pending values of any length, counting characters, not UTF-16 units', async () => {
    expect((await run(settingsCommand, ['set', 'description', 'día 😀'])).code).toBe(ExitCode.Ok);
    await settings.saveField('serverName', 'Lab EKS, the longest pending value');
    await settings.saveField('hostName', '192.0.2.10');
    await settings.commitApply(await settings.loadPending());
    await settings.saveField('port', 15696);
    const lines = (await run(settingsCommand, ['show'])).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(21); // the header and one line per field
    expect(lines.find((line) => line.startsWith('Port'))).toMatch(/15696 +\| {2}5696$/);
    expect(lines.find((line) => line.startsWith('Server Name'))).toMatch(/value {2}\(applied\)$/);
    // The third column starts at the same character on every line.
    const columns = lines.map((line) => characterCount(line.slice(0, line.search(/(\||\(applied\))[^|]*$/))));
    expect(new Set(columns).size).toBe(1);
  });
});

describe('Verify = no', () => {
  it('is warned about on stderr when saved (exit 0), and not when Verify is saved as yes', async () => {
    const off = await run(settingsCommand, ['set', 'verify', 'no']);
    expect(off.code).toBe(ExitCode.Ok);
    expect(off.stderr).toBe(`warning: ${VERIFY_OFF}\n`);
    const on = await run(settingsCommand, ['set', 'verify', 'yes']);
    expect(on.code).toBe(ExitCode.Ok);
    expect(on.stderr).toBe('');
  });

  it('is named by status for the pending settings, then for the applied and pending ones, and not once Verify is on', async () => {
    await settings.saveField('serverName', 'Lab EKS');
    await settings.saveField('hostName', '192.0.2.10');
    expect((await run(statusCommand, [])).stdout).not.toContain('Verify is off');
    await settings.saveField('verify', false);
    expect((await run(statusCommand, [])).stdout).toContain(`warning (pending settings): ${VERIFY_OFF}`);
    await settings.commitApply(await settings.loadPending());
    // (Committed without an Apply, so status also finds no store for these applied settings.)
    const both = await run(statusCommand, []);
    expect(both.stdout).toContain(`warning (applied and pending settings): ${VERIFY_OFF}`);
    await settings.saveField('verify', true);
    expect((await run(statusCommand, [])).stdout).toContain(`warning (applied settings): ${VERIFY_OFF}`);
    const json = JSON.parse((await run(statusCommand, ['--json'])).stdout) as { settings: { warnings: unknown[] } };
    expect(json.settings.warnings).toEqual([{ stages: ['applied'], code: 'VERIFY_OFF', message: VERIFY_OFF }]);
  });
});

describe.skipIf(process.platform !== 'linux')('test with an IPv6 zone naming no interface', () => {
  it('fails the TCP connect with a fix that points at the interface name after "%"', async () => {
    await settings.saveField('serverName', 'Lab EKS');
    await settings.saveField('hostName', 'fe80::1%no-such-if0');
    await settings.saveField('timeout', 5);
    const result = await run(testCommand, []);
    // The key server cannot be reached from this machine as set: exit 4, as for other failed connects.
    expect(result.code).toBe(ExitCode.Unreachable);
    expect(result.stderr).toMatch(/\[FAIL\] TCP connect .*EINVAL/);
    expect(result.stderr).toMatch(/fix: .*check the interface name after %/);
  });
});

describe('settings import', () => {
  beforeAll(() => {
    testPkiDir();
  }, 120_000);

  it.each([
    ['[]', 'the document: Invalid input: expected object, received array'],
    ['{"format":"kmip-console-settings","version":1,"fields":{},"files":{}}', 'at passwordSet: '],
    ['{nope', 'not JSON)'],
  ])('says what is wrong with a file that is no export (%s), and what to import instead', async (text, problem) => {
    const file = path.join(scratchDir('kmip-cli-import-'), 'not-an-export.json');
    writeFileSync(file, text);
    const refused = await run(settingsCommand, ['import', file]);
    expect(refused.code).toBe(ExitCode.DataError);
    expect(refused.stderr).toContain(`${file} is not a kmip-console settings export (${problem}`);
    expect(refused.stderr).toContain('nothing was changed. Import a file written by `kmip-console settings export`.');
    // The file's own bytes are never quoted: it may be a secret file chosen by mistake.
    expect(refused.stderr).not.toContain('nope');
  });

  /** An export from another machine: two fields, the KMIP password set, a certificate and its encrypted key (or `keyFile`). */
  function exportFile(keyFile = 'client-encrypted.key'): string {
    const file = (sourceName: string) => ({ format: 'pem', sourceName, content: pkiBytes(sourceName).toString('base64') });
    const doc = {
      format: 'kmip-console-settings',
      version: 1,
      fields: { serverName: 'Imported EKS', hostName: 'kms.example.com' },
      passwordSet: true,
      files: { clientCert: file('client.pem'), clientKey: file(keyFile) },
    };
    const exported = path.join(scratchDir('kmip-cli-import-'), 'export.json');
    writeFileSync(exported, JSON.stringify(doc));
    return exported;
  }

  const passwords = { [PASSWORD_ENV]: 'new-secret', [FILE_PASSWORD_ENV.clientKey]: pkiPassword() };

  /** What an operator can see or use of the pending settings: the table, the file, the keychain, the copies. */
  async function observed(): Promise<unknown> {
    return {
      shown: (await run(settingsCommand, ['show'])).stdout,
      file: readFileSync(settingsFilePath(dataDir), 'utf8'),
      keychain: [...secrets.entries].sort(),
      copies: existsSync(filesDir(dataDir)) ? readdirSync(filesDir(dataDir)).sort() : [],
    };
  }

  beforeEach(async () => {
    await settings.saveField('serverName', 'Before');
    await settings.saveField('password', 'old-secret');
  });

  it('saves nothing when a write fails part-way (a folder where the copy of the key goes), and says so', async () => {
    // Written after the fields are checked, the certificate's copy written and the key of the sealed copies created.
    const keyCopy = path.join(filesDir(dataDir), credentialFileName('clientKey', 'pem', pkiBytes('client-encrypted.key')));
    mkdirSync(path.join(keyCopy, 'blocker'), { recursive: true });
    const before = await observed();
    const failed = await run(settingsCommand, ['import', exportFile()], { env: passwords });
    expect(failed.code).toBe(ExitCode.Failed);
    expect(failed.stderr).toContain(`The copy of Key could not be written to ${keyCopy} (EISDIR)`);
    expect(failed.stderr).toContain('Nothing was imported: the pending settings, their keychain entries and the stored copies are as they were.');
    expect(await observed()).toEqual(before);

    rmSync(keyCopy, { recursive: true });
    expect((await run(settingsCommand, ['import', exportFile()], { env: passwords })).code).toBe(ExitCode.Ok);
    expect((await settings.loadPending()).serverName).toBe('Imported EKS');
    expect(await settings.resolveSecrets('pending')).toEqual({ password: 'new-secret', clientKeyPassword: pkiPassword() });
  });

  it('refuses a key that does not belong to the certificate imported with it, saving none of the fields before it', async () => {
    const before = await observed();
    const refused = await run(settingsCommand, ['import', exportFile('client2.key')], { env: passwords });
    expect(refused.code).toBe(ExitCode.DataError);
    expect(refused.stderr).toMatch(/cannot be imported, nothing was changed: The key in "client2\.key" does not belong to the certificate loaded under Cert/);
    expect(await observed()).toEqual(before);
  });

  it('asks for the KMIP password before saving anything: Ctrl-C at the prompt imports nothing', async () => {
    const before = await observed();
    const stdin = terminalStdin();
    const onStderr = (text: string) => {
      if (text.startsWith('KMIP password')) stdin.write('\u0003');
    };
    const cancelled = await run(settingsCommand, ['import', exportFile()], { env: { [FILE_PASSWORD_ENV.clientKey]: pkiPassword() }, stdin, onStderr });
    expect(cancelled.code).toBe(ExitCode.Canceled);
    expect(cancelled.stderr).toContain('Prompt canceled: nothing was changed.');
    expect(await observed()).toEqual(before);
  });

  it('without a terminal to ask the KMIP password in, imports the rest and says the password was not', async () => {
    const imported = await run(settingsCommand, ['import', exportFile()], { env: { [FILE_PASSWORD_ENV.clientKey]: pkiPassword() } });
    expect(imported.code).toBe(ExitCode.Ok);
    expect(imported.stderr).toContain(`note: Password not imported (KMIP password is needed: set the environment variable ${PASSWORD_ENV}`);
    expect((await settings.loadPending()).serverName).toBe('Imported EKS');
    expect(await settings.resolveSecrets('pending')).toEqual({ password: 'old-secret', clientKeyPassword: pkiPassword() });
  });
});
