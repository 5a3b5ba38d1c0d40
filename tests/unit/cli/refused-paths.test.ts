// Paths the CLI must refuse before acting: `settings export` over the data folder's settings file,
// an empty backup path (an unset shell variable) for `store restore` / `recover --backup`, and an
// export whose file names are not plain file names or whose values are not all valid.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { ExitCode } from '../../../main/cli/exit-codes';
import { runInMemory, terminalStdin, type InMemoryRun } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';

function run(args: string[]): Promise<InMemoryRun> {
  return runInMemory((io) => main(args, io));
}

describe('settings export', () => {
  it('refuses to write over the settings file of the data folder, even with --force, and leaves it as it was', async () => {
    const dataDir = scratchDir('kmip-export-');
    expect((await run(['settings', 'set', 'port', '5697', '--data-dir', dataDir])).code).toBe(ExitCode.Ok);
    const settingsFile = path.join(dataDir, 'settings.json');
    const before = readFileSync(settingsFile);
    const refused = await run(['settings', 'export', path.join(dataDir, '.', 'settings.json'), '--force', '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.DataError);
    expect(refused.stderr).toContain('is the settings file of the data folder itself');
    expect(readFileSync(settingsFile)).toEqual(before);
    expect((await run(['settings', 'export', path.join(dataDir, 'export.json'), '--data-dir', dataDir])).code).toBe(ExitCode.Ok);
  });
});

describe('an empty backup path', () => {
  it.each([
    ['store', 'restore', ''],
    ['recover', '--backup', ''],
  ])('%s %s "%s" is a usage error, not a recovery in place that would apply the pending settings', async (...command) => {
    const dataDir = scratchDir('kmip-restore-empty-');
    expect((await run(['settings', 'set', 'port', '5697', '--data-dir', dataDir])).code).toBe(ExitCode.Ok);
    const settingsFile = path.join(dataDir, 'settings.json');
    const before = readFileSync(settingsFile);
    const refused = await run([...command, '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.Usage);
    expect(refused.stderr).toContain('the backup file path is empty');
    expect(readFileSync(settingsFile)).toEqual(before);
  });
});

describe('settings import of an export whose file name is not a plain file name', () => {
  it.each(['..', '.', '/', 'ca\u001b[2J.pem'])('refuses "%s" before saving anything (it was an internal error on a folder)', async (sourceName) => {
    const dataDir = scratchDir('kmip-import-name-');
    const exported = path.join(scratchDir('kmip-import-file-'), 'export.json');
    const doc = { format: 'kmip-console-settings', version: 1, fields: { serverName: 'eks1' }, passwordSet: false, files: { caCert: { format: 'pem', sourceName, content: 'AAAA' } } };
    writeFileSync(exported, JSON.stringify(doc));
    const refused = await run(['settings', 'import', exported, '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.DataError);
    expect(refused.stderr).toContain('is not a plain file name');
    expect(existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
  });
});

describe('settings import of an export with a bad value', () => {
  it('saves nothing, not even the valid fields before it, and lists every problem', async () => {
    const dataDir = scratchDir('kmip-import-bad-');
    const exported = path.join(scratchDir('kmip-import-file-'), 'export.json');
    const fields = { serverName: 'eks1', hostName: 'kms.example.com', port: '99999', timeout: 5 };
    const files = { caCert: { format: 'pem', sourceName: 'ca.pem', content: Buffer.from('not a certificate').toString('base64') } };
    writeFileSync(exported, JSON.stringify({ format: 'kmip-console-settings', version: 1, fields, passwordSet: false, files }));
    const refused = await run(['settings', 'import', exported, '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.DataError);
    expect(refused.stderr).toMatch(/cannot be imported, nothing was changed: \(1\) Port must be .*\(2\) CA Trusted Cert: /);
    expect(existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
  });
});

describe('settings import of an encrypted key whose password is not in the environment', () => {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'the-right-one' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  function exportWithKey(): string {
    const exported = path.join(scratchDir('kmip-import-file-'), 'export.json');
    const files = { clientKey: { format: 'pem', sourceName: 'client.key', content: Buffer.from(privateKey).toString('base64') } };
    writeFileSync(exported, JSON.stringify({ format: 'kmip-console-settings', version: 1, fields: { serverName: 'eks1', hostName: 'kms.example.com' }, passwordSet: false, files }));
    return exported;
  }

  it('asks for it before saving anything: a wrong one typed leaves no field imported', async () => {
    const dataDir = scratchDir('kmip-import-prompt-');
    const stdin = terminalStdin();
    const onStderr = (text: string): void => {
      if (text.startsWith('Password of client.key')) stdin.write('not-the-one\r');
    };
    const { code, stderr } = await runInMemory((io) => main(['settings', 'import', exportWithKey(), '--data-dir', dataDir], io), { stdin, onStderr });
    expect(code).toBe(ExitCode.DataError);
    expect(stderr).toMatch(/cannot be imported, nothing was changed: Key: The password does not decrypt the private key in "client\.key"/);
    expect(existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
  });

  it('without a terminal to ask in, says where the password can come from, and saves nothing', async () => {
    const dataDir = scratchDir('kmip-import-no-tty-');
    const refused = await run(['settings', 'import', exportWithKey(), '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.SecretUnavailable);
    expect(refused.stderr).toContain('KMIP_CONSOLE_CLIENT_KEY_PASSWORD');
    expect(existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
  });
});
