import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { parseCommandArgs, refuseSecretArguments, UsageError } from '../../../main/cli/args';
import { resolveDataDir } from '../../../main/cli/data-dir';
import { ExitCode } from '../../../main/cli/exit-codes';
import { exitCodeFor } from '../../../main/cli/output';
import { EksError } from '../../../main/eks';
import { TransportError } from '../../../main/kmip';
import { UserFileError } from '../../../main/files';
import { StoreError } from '../../../main/store';

describe('secrets on the command line', () => {
  it.each(['--password=x', '--password', '--client-key-password', '--passphrase=y', '--secret', '-pin', '--value=v'])('refuses %s', (arg) => {
    expect(() => refuseSecretArguments(['apply', arg])).toThrow(UsageError);
  });
  it('names the secret sources without echoing the value', () => {
    expect(() => refuseSecretArguments(['--password=hunter2'])).toThrow(/KMIP_CONSOLE_PASSWORD/);
    expect(() => refuseSecretArguments(['--password=hunter2'])).not.toThrow(/hunter2/);
  });
  it('lets ordinary options through', () => {
    expect(() => refuseSecretArguments(['--data-dir', '/x', '--json', '--bytes', '32', 'password'])).not.toThrow();
  });
});

describe('data folder', () => {
  it('follows --data-dir, then KMIP_CONSOLE_DATA_DIR, then the app data folder of the platform', () => {
    expect(resolveDataDir('/tmp/d', { KMIP_CONSOLE_DATA_DIR: '/e' }, 'linux')).toBe('/tmp/d');
    expect(resolveDataDir(undefined, { KMIP_CONSOLE_DATA_DIR: '/e' }, 'linux')).toBe('/e');
    expect(resolveDataDir(undefined, { HOME: '/h', XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe('/xdg/kmip-console');
    expect(resolveDataDir(undefined, { HOME: '/h' }, 'linux')).toBe('/h/.config/kmip-console');
    expect(resolveDataDir(undefined, { HOME: '/h' }, 'darwin')).toBe('/h/Library/Application Support/kmip-console');
  });
  it('refuses an empty --data-dir (an unset shell variable) instead of using the default folder', () => {
    for (const empty of ['', ' ']) expect(() => resolveDataDir(empty, { KMIP_CONSOLE_DATA_DIR: '/e' }, 'linux')).toThrow(/--data-dir is empty/);
    for (const empty of ['', ' ']) expect(() => resolveDataDir(undefined, { KMIP_CONSOLE_DATA_DIR: empty, HOME: '/h' }, 'linux')).toThrow(/KMIP_CONSOLE_DATA_DIR is set but empty/);
  });
});

describe('exit codes', () => {
  it.each([
    [new UsageError('x'), ExitCode.Usage],
    [new TransportError('CONNECTION_REFUSED', 'x'), ExitCode.Unreachable],
    [new EksError('DNS_LOOKUP_FAILED', 'x'), ExitCode.Unreachable],
    [new TransportError('CERT_UNTRUSTED', 'x'), ExitCode.Failed],
    [new StoreError('STORE_TAMPERED', 'x'), ExitCode.Failed],
    [new StoreError('BACKUP_DAMAGED', 'x'), ExitCode.DataError],
    [new StoreError('STORE_UNREADABLE', 'x'), ExitCode.DataError],
    [new StoreError('BACKUP_NOT_FOUND', 'x'), ExitCode.DataError],
    [new UserFileError('FILE_NOT_FOUND', 'x', '/x'), ExitCode.DataError],
    [new EksError('SECRET_STORE_UNAVAILABLE', 'x'), ExitCode.SecretUnavailable],
    [new EksError('ADMIN_KEY_NOT_FOUND', 'x'), ExitCode.Failed],
    [new Error('bug'), ExitCode.Internal],
  ])('%s → %i', (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe('negative numbers', () => {
  it('are values, so that the field says what it accepts (settings set timeout -1)', () => {
    const parsed = parseCommandArgs(['set', 'timeout', '-1', '--data-dir', '/d'], {}, { min: 3, max: 3 });
    expect(parsed.positionals).toEqual(['set', 'timeout', '-1']);
    expect(parsed.dataDirOption).toBe('/d');
    expect(parseCommandArgs(['--bytes', '-32'], { bytes: { type: 'string' } }, { min: 0, max: 0 }).strings.bytes).toBe('-32');
  });
  it('do not make unknown options acceptable', () => {
    expect(() => parseCommandArgs(['-x'], {}, { min: 0, max: 1 })).toThrow(/Unknown option '-x'/);
  });
});

describe('repeated options', () => {
  it('are refused rather than resolved by taking the last one', () => {
    const options = { format: { type: 'string' } } as const;
    expect(() => parseCommandArgs(['--format', 'pem', '--format', 'p12'], options, { min: 0, max: 0 })).toThrow('--format is given more than once: give it once');
    expect(() => parseCommandArgs(['--data-dir', '/a', '--data-dir=/b'], {}, { min: 0, max: 0 })).toThrow(/--data-dir is given more than once/);
    expect(parseCommandArgs(['--format', 'pem', '--json'], options, { min: 0, max: 0 }).strings.format).toBe('pem');
  });
});

describe('--json', () => {
  it('makes a wrong command line answer with the JSON error object too, so a script reads one document whatever happened', async () => {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const code = await main(['store', 'list', '--json', '--nope'], { stdin: Readable.from([]), stdout, stderr: new PassThrough(), env: {} });
    expect(code).toBe(ExitCode.Usage);
    expect(JSON.parse(text)).toEqual({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/Unknown option '--nope'/) } });
  });
});

describe('help', () => {
  it('`help store` prints the usage of store, as `store --help` does', async () => {
    const usageOf = async (args: string[]): Promise<string> => {
      const stdout = new PassThrough();
      let text = '';
      stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      expect(await main(args, { stdin: Readable.from([]), stdout, stderr: new PassThrough(), env: {} })).toBe(ExitCode.Ok);
      return text;
    };
    const storeUsage = await usageOf(['store', '--help']);
    expect(storeUsage).toContain('kmip-console store restore FILE');
    expect(await usageOf(['help', 'store'])).toBe(storeUsage);
  });
});
