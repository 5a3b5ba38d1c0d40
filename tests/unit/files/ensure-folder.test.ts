// Creating the data folder (and folders inside it) with its missing parents, owner-only, and
// saying which path is in the way instead of failing with EEXIST or looping for ever.
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ensureFolder, UserFileError } from '../../../main/files';
import { scratchDir } from '../../support/scratch-dirs';

let dir: string;

beforeEach(() => {
  dir = scratchDir('kmip-ensure-folder-');
});

async function failure(folder: string): Promise<UserFileError> {
  const error = await ensureFolder(folder, 'data folder').then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserFileError);
  expect(error).toMatchObject({ code: 'FILE_UNWRITABLE' });
  expect((error as UserFileError).message).toContain(`the data folder "${folder}"`);
  return error as UserFileError;
}

describe('ensureFolder', () => {
  it('creates missing parents owner-only and accepts an existing folder', async () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    await ensureFolder(deep, 'data folder');
    for (const folder of [path.join(dir, 'a'), path.join(dir, 'a', 'b'), deep]) expect(statSync(folder).mode & 0o777).toBe(0o700);
    await ensureFolder(deep, 'data folder');
  });

  it('names the file in the way, whether it is the folder itself or a parent', async () => {
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, '{}');
    expect((await failure(file)).message).toContain(`"${file}" is a file, not a folder`);
    expect((await failure(path.join(file, 'sub'))).message).toContain(`"${file}" is a file, not a folder`);
  });

  it.skipIf(process.platform !== 'linux')('fails under /proc, where mkdir({ recursive: true }) of Node 20 loops for ever', async () => {
    expect((await failure('/proc/kmip-console-test/data')).message).toContain('creating "/proc/kmip-console-test" gives ENOENT');
  });
});
