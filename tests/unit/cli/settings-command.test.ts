// `settings show|set`, `status` and `test` as an operator reads them: an aligned table, the Verify=off
// warning wherever settings are saved or summed up, and a fix that names the IPv6 zone.
import { PassThrough, Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, verifyOffWarning } from '../../../common/settings';
import { characterCount } from '../../../common/text';
import type { CliIo } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { ExitCode } from '../../../main/cli/exit-codes';
import { SettingsRepository } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

// The real context uses the system keychain; here secrets and unlock keys stay in memory.
let dataDir: string;
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
  settings = new SettingsRepository({ dataDir, secrets: new MemorySecretStore(), profile: 'cli' });
});

async function run(command: typeof settingsCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  const [out, err]: [Buffer[], Buffer[]] = [[], []];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const io: CliIo = { stdin: Readable.from([]), stdout, stderr, env: {} };
  const code = await command.run(args, io);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

const VERIFY_OFF = verifyOffWarning({ ...defaultSettings(), verify: false })!.message;

describe('settings show', () => {
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
    expect(result.code).toBe(ExitCode.Failed);
    expect(result.stderr).toMatch(/\[FAIL\] TCP connect .*EINVAL/);
    expect(result.stderr).toMatch(/fix: .*check the interface name after %/);
  });
});
