// `store` commands on a store file that cannot be read say what it is, as status and recover do: a
// damaged store (restore a backup over it), or something in its place that nothing replaces (move it
// aside); never "check the path" of the file that kmip-console itself keeps in the data folder.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { beforeEach, expect, it, vi } from 'vitest';
import type { CliIo } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { storeFilePath } from '../../../main/store';
import { runInMemory, type InMemoryRun } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

let dataDir: string;
vi.mock('../../../main/cli/context', () => ({
  createContext: async (io: CliIo): Promise<Partial<CliContext>> => ({
    io,
    json: false,
    dataDir,
    unlockKeys: new MemoryUnlockKeys(),
    settings: { loadApplied: async () => null } as Pick<CliContext['settings'], 'loadApplied'> as CliContext['settings'],
  }),
  connectionFor: () => {
    throw new Error('no connection in this test');
  },
}));
const { storeCommand } = await import('../../../main/cli/commands/store');

beforeEach(() => {
  dataDir = scratchDir('kmip-cli-store-damaged-');
});

function run(args: string[]): Promise<InMemoryRun> {
  return runInMemory((io) => storeCommand.run(args, io), { stdin: Buffer.alloc(0) });
}

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
