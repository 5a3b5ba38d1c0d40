// Writing to a path a person named: only a new file or a regular file is written; what is in the
// way is left as it was, and a failure names the folder or file and the fix.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { pathExists, UserFileError, writeUserFile } from '../../../main/files';
import { scratchDir } from '../../support/scratch-dirs';

let dir: string;

beforeEach(() => {
  dir = scratchDir('kmip-write-file-');
});

async function failure(target: string): Promise<UserFileError> {
  const error = await writeUserFile(target, Buffer.from('data'), 'backup file').then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserFileError);
  expect(error).toMatchObject({ code: 'FILE_UNWRITABLE', path: target });
  return error as UserFileError;
}

describe('writeUserFile', () => {
  it('writes a new file (owner-only) and replaces a regular file', async () => {
    const target = path.join(dir, 'b.kcs');
    await writeUserFile(target, Buffer.from('one'), 'backup file');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    await writeUserFile(target, Buffer.from('two'), 'backup file');
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['b.kcs']);
  });

  it('names a folder that does not exist', async () => {
    const error = await failure(path.join(dir, 'no-such-folder', 'b.kcs'));
    expect(error.message).toContain(`the folder "${path.join(dir, 'no-such-folder')}" does not exist`);
  });

  it.skipIf(process.platform === 'win32')('leaves a folder, a FIFO and a symbolic link in place instead of renaming a file over them', async () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const pointedAt = path.join(dir, 'real.kcs');
    writeFileSync(pointedAt, 'kept');
    const link = path.join(dir, 'link.kcs');
    symlinkSync(pointedAt, link);

    expect((await failure(folder)).message).toContain('is a folder, not a file: name the backup file to write');
    expect((await failure(fifo)).message).toContain('is a device, pipe or socket, not a file');
    expect((await failure(link)).message).toContain('is a symbolic link, not a file');
    expect(lstatSync(folder).isDirectory()).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(pointedAt, 'utf8')).toBe('kept');
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'folder', 'link.kcs', 'real.kcs']); // no temporary file left
  });

  it('pathExists sees a dangling link and a device without reading them', async () => {
    const dangling = path.join(dir, 'dangling');
    symlinkSync(path.join(dir, 'nothing'), dangling);
    expect(await pathExists(dangling)).toBe(true);
    expect(await pathExists('/dev/zero')).toBe(true);
    expect(await pathExists(path.join(dir, 'nothing'))).toBe(false);
  });
});
