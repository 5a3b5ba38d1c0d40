// Reading a file a person named: what a wrong pick can be is refused before it is read, naming it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readUserFile, UserFileError } from '../../../main/files';
import { scratchDir } from '../../support/scratch-dirs';

const KIND = { what: 'test file', maxBytes: 64 };
let dir: string;

beforeEach(() => {
  dir = scratchDir('kmip-user-file-');
});

async function failure(filePath: string): Promise<UserFileError> {
  const error = await readUserFile(filePath, KIND).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserFileError);
  expect((error as UserFileError).message).toContain(filePath);
  expect((error as UserFileError).path).toBe(filePath);
  return error as UserFileError;
}

describe('readUserFile', () => {
  it('returns every byte of a file up to the cap, an empty file included', async () => {
    const full = path.join(dir, 'full');
    writeFileSync(full, Buffer.alloc(64, 7));
    expect(await readUserFile(full, KIND)).toEqual(Buffer.alloc(64, 7));
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '');
    expect((await readUserFile(empty, KIND)).length).toBe(0);
  });

  it('refuses a file above the cap, saying what the cap is', async () => {
    const big = path.join(dir, 'big');
    writeFileSync(big, Buffer.alloc(65));
    const error = await failure(big);
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('a test file is at most 64 bytes');
  });

  it('tells a missing file from a folder', async () => {
    expect((await failure(path.join(dir, 'nope'))).code).toBe('FILE_NOT_FOUND');
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    const error = await failure(folder);
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toMatch(/is a folder/);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without blocking on it, and a device without reading it', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // No writer ever opens the FIFO: a blocking open would hang this test until its timeout.
    for (const target of [fifo, '/dev/zero']) {
      const error = await failure(target);
      expect(error.code).toBe('FILE_UNREADABLE');
      expect(error.message).toMatch(/not a regular file \(a pipe or device\): give the test file itself/);
    }
  });
});
