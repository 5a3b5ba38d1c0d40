import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { parseCommandArgs, refuseSecretArguments, UsageError } from '../../../main/cli/args';
import { resolveDataDir } from '../../../main/cli/data-dir';
import { ExitCode } from '../../../main/cli/exit-codes';
import { exitCodeFor } from '../../../main/cli/output';
import { EksError } from '../../../main/eks';
import { TransportError } from '../../../main/kmip';
import { UserFileError } from '../../../main/files';
import { PkiError } from '../../../main/pki';
import { StoreError } from '../../../main/store';
import { runInMemory, type InMemoryRun } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';

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
    [new TransportError('CONNECTION_CLOSED', 'x'), ExitCode.Unreachable],
    [new TransportError('CERT_UNTRUSTED', 'x'), ExitCode.Failed],
    // A damaged or wrong file is bad input data, whichever file and however found (review s18-r2 F5):
    // the data folder's store as much as a backup, its MAC failing as much as bytes that are no store.
    [new StoreError('STORE_TAMPERED', 'x'), ExitCode.DataError],
    [new EksError('STORE_TAMPERED', 'x'), ExitCode.DataError],
    [new EksError('STORE_NOT_A_FILE', 'x'), ExitCode.DataError],
    [new StoreError('BACKUP_DAMAGED', 'x'), ExitCode.DataError],
    [new StoreError('STORE_UNREADABLE', 'x'), ExitCode.DataError],
    [new StoreError('STORE_TOO_NEW', 'x'), ExitCode.DataError],
    // A missing input file, whichever code its command gives it (#13).
    [new StoreError('BACKUP_NOT_FOUND', 'x'), ExitCode.DataError],
    [new StoreError('STORE_NOT_FOUND', 'x'), ExitCode.DataError],
    [new UserFileError('FILE_NOT_FOUND', 'x', '/x'), ExitCode.DataError],
    [new PkiError('PKI_UNREADABLE', 'x'), ExitCode.DataError],
    // Not data: the file is sound, the key or the keychain entry is what is missing or wrong.
    [new StoreError('WRONG_KEY', 'x'), ExitCode.Failed],
    [new StoreError('LOCAL_UNLOCK_MISSING', 'x'), ExitCode.Failed],
    [new UserFileError('FILE_UNWRITABLE', 'x', '/x'), ExitCode.DataError],
    // a backup or export that a full or failing disk did not take: the command's output is lost (README: 74)
    [new UserFileError('FILE_NOT_WRITTEN', 'x', '/x'), ExitCode.OutputFailed],
    [new EksError('SECRET_STORE_UNAVAILABLE', 'x'), ExitCode.SecretUnavailable],
    [new EksError('ADMIN_KEY_NOT_FOUND', 'x'), ExitCode.Failed],
    [new Error('bug'), ExitCode.Internal],
  ])('%s → %i', (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe('negative numbers', () => {
  it('are values, so that the field says what it accepts (settings set timeout -1)', () => {
    const parsed = parseCommandArgs('settings', ['set', 'timeout', '-1', '--data-dir', '/d'], {}, { names: ['ACTION', 'FIELD', 'VALUE'], min: 3 });
    expect(parsed.positionals).toEqual(['set', 'timeout', '-1']);
    expect(parsed.dataDirOption).toBe('/d');
    expect(parseCommandArgs('store generate', ['--bytes', '-32'], { bytes: { type: 'string' } }, { names: [], min: 0 }).strings.bytes).toBe('-32');
  });
  it('do not make unknown options acceptable', () => {
    expect(() => parseCommandArgs('status', ['-x'], {}, { names: ['NAME'], min: 0 })).toThrow(/^unknown option -x\./);
  });
});

describe('repeated options', () => {
  it('are refused rather than resolved by taking the last one', () => {
    const options = { format: { type: 'string' } } as const;
    expect(() => parseCommandArgs('settings set', ['--format', 'pem', '--format', 'p12'], options, { names: [], min: 0 })).toThrow('--format is given more than once: give it once');
    expect(() => parseCommandArgs('status', ['--data-dir', '/a', '--data-dir=/b'], {}, { names: [], min: 0 })).toThrow(/--data-dir is given more than once/);
    expect(parseCommandArgs('settings set', ['--format', 'pem', '--json'], options, { names: [], min: 0 }).strings.format).toBe('pem');
  });
});

/** Runs the CLI in this process, as a user would from a shell. */
function runMain(args: string[]): Promise<InMemoryRun> {
  return runInMemory((io) => main(args, io));
}

/** The one JSON document on standard output of a usage error. */
function jsonUsageError(stdout: string): string {
  const document = JSON.parse(stdout) as { ok: boolean; error: { code: string; message: string } };
  expect(document).toEqual({ ok: false, error: { code: 'USAGE', message: expect.any(String) } });
  return document.error.message;
}

describe('--json', () => {
  it('makes a wrong command line answer with the JSON error object too, so a script reads one document whatever happened', async () => {
    const run = await runMain(['store', 'list', '--json', '--nope']);
    expect(run.code).toBe(ExitCode.Usage);
    expect(jsonUsageError(run.stdout)).toMatch(/^unknown option --nope\./);
  });
  it.each([
    [['bogus', '--json'], /^unknown command 'bogus'; the commands are status, test, apply, .*ttlv$/],
    [['statsu', '--json'], /^unknown command 'statsu' \(did you mean status\?\)/],
    [['help', 'bogus', '--json'], /^unknown command 'bogus'/],
    [['--json', 'status'], /^the command comes before the options, as in `kmip-console <command> --json`/],
  ])('answers an unknown command %j with the JSON error object and the usage exit code', async (args, message) => {
    const run = await runMain(args);
    expect(run.code).toBe(ExitCode.Usage);
    expect(jsonUsageError(run.stdout)).toMatch(message);
    expect(run.stderr).toContain('Commands:');
  });
  it('without --json, an unknown command prints no JSON, only the message and the list of commands', async () => {
    const run = await runMain(['bogus']);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^kmip-console: unknown command 'bogus'; the commands are status, .*\n\nUsage: kmip-console <command> \[options\]\n/);
  });
  it('never echoes what follows "=" in an option given before the command (it may be a secret)', async () => {
    const run = await runMain(['--data-dir=hunter2', 'status', '--json']);
    expect(jsonUsageError(run.stdout)).toContain('`kmip-console <command> --data-dir`');
    expect(run.stdout + run.stderr).not.toContain('hunter2');
  });
});

describe('option errors', () => {
  it.each([
    [['status', '--bogus'], 'status', 'unknown option --bogus. Options of status: --data-dir, --json; see `kmip-console status --help`.'],
    [['settings', 'show', '--jsn'], 'settings show', 'unknown option --jsn: did you mean --json? Options of settings show: --data-dir, --json; see `kmip-console settings show --help`.'],
    [['test', '--aplied'], 'test', 'unknown option --aplied: did you mean --applied? Options of test: --applied, --data-dir, --json; see `kmip-console test --help`.'],
    [['store', 'list', '--dat', '/d'], 'store list', 'unknown option --dat: did you mean --data-dir? Options of store list: --data-dir, --json; see `kmip-console store list --help`.'],
    [['status', '-xy'], 'status', 'unknown option -x. Options of status: --data-dir, --json; see `kmip-console status --help`.'],
    [['status', '--constructor'], 'status', 'unknown option --constructor. Options of status: --data-dir, --json; see `kmip-console status --help`.'],
    [['status', '--data-dir'], 'status', '--data-dir is missing its value: give --data-dir VALUE (or --data-dir=VALUE when the value begins with "-"); see `kmip-console status --help`.'],
    [['settings', 'set', 'caCert', '--file', '--data-dir', '/d'], 'settings set', '--file is missing its value: give --file VALUE (or --file=VALUE when the value begins with "-"); see `kmip-console settings set --help`.'],
    [['store', 'get', 'x', '--hex=1'], 'store get', '--hex takes no value: give --hex alone, without "=…"; see `kmip-console store get --help`.'],
    [['ttlv', 'decode', '--bogus'], 'ttlv decode', 'unknown option --bogus. Options of ttlv decode: --file, --data-dir, --json; see `kmip-console ttlv decode --help`.'],
  ])('%j: our message, naming the option and the command, in text and in --json', async (args, command, message) => {
    const text = await runMain(args);
    expect(text.code).toBe(ExitCode.Usage);
    // The message says what to do; the command's usage text would bury it.
    expect(text.stderr).toBe(`kmip-console ${command}: ${message}\n`);
    const json = await runMain([...args, '--json']);
    expect(json.code).toBe(ExitCode.Usage);
    expect(jsonUsageError(json.stdout)).toBe(message);
  });
  it('still takes a lone "-" and a negative number as values, and a value after "="', () => {
    const options = { file: { type: 'string' }, bytes: { type: 'string' } } as const;
    const parsed = parseCommandArgs('ttlv decode', ['--file', '-', '--bytes', '-1', '--data-dir=-d'], options, { names: [], min: 0 });
    expect(parsed.strings).toEqual({ file: '-', bytes: '-1' });
    expect(parsed.dataDirOption).toBe('-d');
  });
});

describe('subcommand errors', () => {
  it.each([
    [['store', 'lst', '--json'], "unknown subcommand 'lst' (did you mean list?); the subcommands of store are list, add, generate, get, delete, backup, restore"],
    [['store', '--json'], 'the subcommand comes before the options; the subcommands of store are list, add, generate, get, delete, backup, restore'],
  ])('%j names the subcommands there are', async (args, message) => {
    const run = await runMain(args);
    expect(run.code).toBe(ExitCode.Usage);
    expect(jsonUsageError(run.stdout)).toBe(message);
  });
});

describe('argument errors', () => {
  it.each([
    [['store', 'get', '--json'], 'missing NAME'],
    [['settings', 'set', '--json'], 'missing FIELD|SLOT'],
    [['store', 'add', 'nm', 'S3CRETVAL', '--json'], '1 argument(s) too many: store add takes NAME only'],
    [['status', 'extra', 'more', '--json'], '2 argument(s) too many: status takes no argument'],
    [['settings', 'clear', 'hostname', '--json'], "unknown field 'hostname' (did you mean hostName?); fields: "],
  ])('%j names the argument missing, the arguments taken, or the field meant', async (args, message) => {
    const run = await runMain(args);
    expect(run.code).toBe(ExitCode.Usage);
    // The message begins so; an unknown field's also lists the fields there are.
    expect(jsonUsageError(run.stdout).slice(0, message.length)).toBe(message);
  });
});

describe('help', () => {
  it('`help store` prints the usage of store, as `store --help` does', async () => {
    const usageOf = async (args: string[]): Promise<string> => {
      const run = await runMain(args);
      expect(run.code).toBe(ExitCode.Ok);
      return run.stdout;
    };
    const storeUsage = await usageOf(['store', '--help']);
    expect(storeUsage).toContain('kmip-console store restore FILE');
    expect(await usageOf(['help', 'store'])).toBe(storeUsage);
    expect(await usageOf(['help'])).toMatch(/130 canceled \(Ctrl-C, SIGTERM, SIGHUP\),\n {12}141 standard output closed early \(`\| head`\)\.\n$/);
  });
});

describe('no command at all', () => {
  it('is a usage error: the help goes to stderr, as every usage error does, and stdout stays empty', async () => {
    const run = await runInMemory((io) => main([], io));
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: kmip-console <command> [options]');
    expect((await runInMemory((io) => main(['help'], io))).stdout).toContain('Usage: kmip-console <command> [options]');
  });
});

describe('--json after --', () => {
  it.each([
    [['store', 'get', '--data-dir', '<dir>', '--', '--json']],
    [['ttlv', 'decode', '--', '--json']],
  ])('is a value, not the option: %j reports its failure as text', async (argv) => {
    const dir = scratchDir('kmip-cli-json-value-');
    const run = await runInMemory((io) => main(argv.map((arg) => (arg === '<dir>' ? dir : arg)), io));
    expect(run.code).not.toBe(ExitCode.Ok);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toBe('');
  });
});

describe('ttlv with too much on standard input', () => {
  it('refuses it before parsing, saying why and what to pass instead', async () => {
    const run = await runInMemory((io) => main(['ttlv', 'decode'], io), { stdin: Buffer.alloc(8 * 1024 * 1024 + 1, 0x30) });
    expect(run.code).toBe(ExitCode.DataError);
    expect(run.stderr).toContain('more than the hex or JSON of a KMIP message can (1 MiB at most): pass one message at a time');
  });
});

describe('--json given a value', () => {
  it('is a usage error reported in JSON: the script asked for JSON', async () => {
    for (const argv of [['status', '--json=1'], ['ttlv', 'decode', '--json=true']]) {
      const run = await runInMemory((io) => main([...argv, '--data-dir', scratchDir('kmip-cli-json-eq-')], io));
      expect(run.code).toBe(ExitCode.Usage);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('--json takes no value') } });
    }
  });
});
