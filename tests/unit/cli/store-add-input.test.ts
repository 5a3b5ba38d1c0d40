// `store add NAME [--key]` with the value piped in: a key's bytes are stored exactly, a text secret
// without the line break that `echo` adds.
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { ExitCode } from '../../../main/cli/exit-codes';
import { ObjectStore, storeFilePath } from '../../../main/store';
import { runInMemory, type InMemoryRun } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';
import { adminRef } from '../store/admin-key-ref';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

// The real context uses the system keychain; here the store's unlock key stays in memory.
let dataDir: string;
let unlockKeys: MemoryUnlockKeys;
/** What happens meanwhile, when the command reads the applied settings (another process at work). */
let whileReadingSettings: (() => Promise<void>) | null = null;
vi.mock('../../../main/cli/context', () => ({
  // No applied settings.
  createContext: async (io: CliIo): Promise<Partial<CliContext>> => ({
    io,
    json: false,
    dataDir,
    unlockKeys,
    settings: {
      loadApplied: async () => {
        await whileReadingSettings?.();
        return null;
      },
    } as Pick<CliContext['settings'], 'loadApplied'> as CliContext['settings'],
  }),
  connectionFor: () => {
    throw new Error('no connection in this test');
  },
}));
const { storeCommand } = await import('../../../main/cli/commands/store');

beforeEach(async () => {
  whileReadingSettings = null;
  dataDir = scratchDir('kmip-cli-store-');
  unlockKeys = new MemoryUnlockKeys();
  // As the first Apply leaves it, with an Admin Key that no key server holds here.
  const store = await ObjectStore.initialize(storeFilePath(dataDir), unlockKeys);
  await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1));
});

function run(args: string[], stdin: Buffer = Buffer.alloc(0)): Promise<InMemoryRun> {
  return runInMemory((io) => storeCommand.run(args, io), { stdin });
}

describe('store add with a piped value', () => {
  it('stores a --key byte for byte, a final 0x0d 0x0a included', async () => {
    const key = Buffer.from([0x10, 0x20, 0x30, 0x0d, 0x0a]);
    expect((await run(['add', 'k', '--key'], key)).code).toBe(ExitCode.Ok);
    expect((await run(['get', 'k'])).stdoutBytes).toEqual(key);
  });

  it('stores a text secret without the final line break of `echo secret |`', async () => {
    expect((await run(['add', 's'], Buffer.from('secret\r\n'))).code).toBe(ExitCode.Ok);
    expect((await run(['get', 's'])).stdout).toBe('secret');
  });
});

describe('store get and generate arguments', () => {
  it('finds an object by its name given with the spaces add trims, and refuses --hex with --base64', async () => {
    expect((await run(['add', ' db '], Buffer.from('value\n'))).code).toBe(ExitCode.Ok);
    expect((await run(['get', ' db '])).stdout).toBe('value');
    expect((await run(['get', 'db', '--hex', '--base64'])).code).toBe(ExitCode.Usage);
  });

  it.each(['0x10', '1e1', '32.0', '+32'])('refuses --bytes %s (digits only), before anything else', async (bytes) => {
    expect((await run(['generate', 'k', '--bytes', bytes])).code).toBe(ExitCode.Usage);
  });
});

describe('store add before the first apply', () => {
  it('adds nothing, creates no store, and says to apply first (the Admin Key must be able to recover what is stored)', async () => {
    dataDir = scratchDir('kmip-cli-no-store-');
    const early = await run(['add', 'early'], Buffer.from('value'));
    expect(early.code).toBe(ExitCode.DataError);
    expect(early.stderr).toMatch(/No store yet at .*: nothing was added\. No settings were applied in .* either: if the data folder is right, run kmip-console apply first/);
    await expect(ObjectStore.open(storeFilePath(dataDir), unlockKeys)).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
  });

  it.each([
    [['list'], 'there is nothing to list'],
    [['get', 'early'], 'there is nothing to read'],
    [['delete', 'early'], 'nothing was deleted'],
    [['backup', '-'], 'nothing was backed up'],
  ])('store %j says there is no store yet and that the data folder may be the wrong one', async (args, nothing) => {
    dataDir = scratchDir('kmip-cli-no-store-');
    const result = await run(args);
    expect(result.code).toBe(ExitCode.DataError);
    expect(result.stderr).toContain(`No store yet at ${storeFilePath(dataDir)}: ${nothing}. No settings were applied in ${dataDir} either`);
  });
});

describe('store generate while another process changes the store', () => {
  it('generates on the store as it is then, keeping the other change (it read the store before asking for entropy)', async () => {
    whileReadingSettings = async () => {
      whileReadingSettings = null;
      await (await ObjectStore.open(storeFilePath(dataDir), unlockKeys)).add({ name: 'by-another-process', kind: 'secret', value: Buffer.from('x') });
    };
    const generated = await run(['generate', 'k']);
    expect(generated.stderr).not.toContain('changed by another');
    expect(generated.code).toBe(ExitCode.Ok);
    const names = (await ObjectStore.open(storeFilePath(dataDir), unlockKeys)).list().map((object) => object.name);
    expect(names).toEqual(['by-another-process', 'k']);
  });
});

describe('store generate with a name that is taken', () => {
  it('refuses at once, before it reads the settings for the key server (an unreachable one would make the operator wait)', async () => {
    expect((await run(['add', 'k'], Buffer.from('value'))).code).toBe(ExitCode.Ok);
    let settingsRead = false;
    whileReadingSettings = async () => {
      settingsRead = true;
    };
    const refused = await run(['generate', ' k ']);
    expect(refused.code).toBe(ExitCode.Failed);
    expect(refused.stderr).toContain("An object named 'k' already exists");
    expect(settingsRead).toBe(false);
  });
});

describe('store add with nothing on standard input', () => {
  it('says where a value comes from, and adds nothing', async () => {
    const refused = await run(['add', 'empty']);
    expect(refused.code).toBe(ExitCode.DataError);
    expect(refused.stderr).toContain('No value: standard input is not a terminal, so the value is read from it, and it was empty.');
    expect(refused.stderr).toContain('KMIP_CONSOLE_SECRET_VALUE');
    expect((await ObjectStore.open(storeFilePath(dataDir), unlockKeys)).list()).toEqual([]);
  });
});
