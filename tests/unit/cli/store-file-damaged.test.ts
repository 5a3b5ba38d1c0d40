// `store` commands on a store file that cannot be read say what it is, as status and recover do: a
// damaged store (restore a backup over it), or something in its place that nothing replaces (move it
// aside); never "check the path" of the file that kmip-console itself keeps in the data folder.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { ExitCode } from '../../../main/cli/exit-codes';
import { ObjectStore, storeFilePath } from '../../../main/store';
import { runInMemory, type InMemoryRun } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

let dataDir: string;
let unlockKeys: MemoryUnlockKeys;
vi.mock('../../../main/cli/context', () => ({
  createContext: async (io: CliIo): Promise<Partial<CliContext>> => ({
    io,
    json: false,
    dataDir,
    unlockKeys,
    settings: { loadApplied: async () => null } as Pick<CliContext['settings'], 'loadApplied'> as CliContext['settings'],
  }),
  connectionFor: () => {
    throw new Error('no connection in this test');
  },
}));
const { storeCommand } = await import('../../../main/cli/commands/store');

beforeEach(() => {
  dataDir = scratchDir('kmip-cli-store-damaged-');
  unlockKeys = new MemoryUnlockKeys();
});

function run(args: string[], stdin: Buffer = Buffer.alloc(0)): Promise<InMemoryRun> {
  return runInMemory((io) => storeCommand.run(args, io), { stdin });
}

/** list, get and add (a value piped in): each reads the store file first. */
const READERS: Array<{ args: string[]; stdin?: Buffer }> = [{ args: ['list'] }, { args: ['get', 'x'] }, { args: ['add', 'y'], stdin: Buffer.from('v') }];

it('calls bytes that are no store a damaged store, with a backup restore as the fix', async () => {
  await writeFile(storeFilePath(dataDir), randomBytes(1000));
  for (const args of [['list'], ['get', 'x']]) {
    const result = await run(args);
    expect(result.stderr).toContain(`${storeFilePath(dataDir)} does not read as a kmip-console store: it was damaged, or another file was put in its place.`);
    expect(result.stderr).not.toMatch(/Check the path/);
  }
});

it('names a folder in the store file\'s place, and says to move it aside', async () => {
  await mkdir(storeFilePath(dataDir));
  const result = await run(['list']);
  expect(result.stderr).toContain(`${storeFilePath(dataDir)} is a folder, not the store file.`);
  expect(result.stderr).not.toMatch(/pick the file inside it/);
});

// A damaged store, or something else in its place, is bad input data (exit 3), as a damaged backup is, and
// as such a file was before it was described as damage: a script tells it from an action that failed (1).
describe('exit codes (review s18-r2 F5)', () => {
  it('exits 3 for bytes that are no store, a store whose MAC does not verify, and a folder in its place', async () => {
    const damages: Array<[string, () => Promise<void>, string]> = [
      ['no store', () => writeFile(storeFilePath(dataDir), randomBytes(1000)), 'STORE_TAMPERED'],
      [
        'MAC',
        async () => {
          const store = await ObjectStore.initialize(storeFilePath(dataDir), unlockKeys);
          await store.add({ name: 'x', kind: 'secret', value: Buffer.from('s3cret') });
          const bytes = await readFile(storeFilePath(dataDir));
          const at = bytes.indexOf('"ciphertext":"', bytes.indexOf('"objects"')) + 15;
          bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
          await writeFile(storeFilePath(dataDir), bytes);
        },
        'STORE_TAMPERED',
      ],
      ['folder', () => mkdir(storeFilePath(dataDir)), 'STORE_NOT_A_FILE'],
    ];
    for (const [what, damage, code] of damages) {
      dataDir = scratchDir('kmip-cli-store-damaged-');
      await damage();
      for (const { args, stdin } of READERS) {
        const result = await run([...args, '--json'], stdin);
        expect({ what, args, code: result.code, error: (JSON.parse(result.stdout) as { error: { code: string } }).error.code }).toEqual({
          what,
          args,
          code: ExitCode.DataError,
          error: code,
        });
      }
    }
  });
});
