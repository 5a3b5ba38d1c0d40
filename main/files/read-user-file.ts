// Reads a file a person named (picked in a dialog, or a path on the command line). Before any byte
// is read it checks what a wrong pick can be: missing, a folder, a FIFO or device (opening one must
// not block, reading /dev/zero must not go on forever), or far larger than the file can be.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserFileError } from './errors';

export interface UserFileKind {
  /** what the file should be, for messages, e.g. "certificate or key file" */
  what: string;
  /** the largest such a file can be */
  maxBytes: number;
}

function unreadable(filePath: string, cause: unknown): UserFileError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const name = `"${filePath}"`;
  if (code === 'ENOENT') return new UserFileError('FILE_NOT_FOUND', `File ${name} does not exist: check the path, or pick the file again.`, filePath, { cause });
  const message =
    code === 'EACCES' || code === 'EPERM'
      ? `File ${name} cannot be read: this user has no permission to read it; fix its permissions or copy it somewhere readable.`
      : code === 'EISDIR'
        ? `${name} is a folder: pick the file inside it.`
        : `File ${name} cannot be read (${code ?? String(cause)}): check that it is a local, readable file.`;
  return new UserFileError('FILE_UNREADABLE', message, filePath, { cause });
}

function tooLarge(filePath: string, size: string, kind: UserFileKind): UserFileError {
  return new UserFileError(
    'FILE_TOO_LARGE',
    `File "${filePath}" is ${size}; a ${kind.what} is at most ${kind.maxBytes} bytes. Check that it is the right file.`,
    filePath,
  );
}

/** The whole file; throws a UserFileError that names it and the fix. */
export async function readUserFile(filePath: string, kind: UserFileKind): Promise<Buffer> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO or device must not hang; regular files are unaffected.
    handle = await open(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    throw unreadable(filePath, cause);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw unreadable(filePath, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    if (!info.isFile()) {
      throw new UserFileError('FILE_UNREADABLE', `"${filePath}" is not a regular file (a pipe or device): give the ${kind.what} itself.`, filePath);
    }
    if (info.size > kind.maxBytes) throw tooLarge(filePath, `${info.size} bytes`, kind);
    // One byte more than stat said: a file that grew after stat is caught, not read cut short.
    const buffer = Buffer.alloc(info.size + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > info.size) {
      if (filled > kind.maxBytes) throw tooLarge(filePath, `larger than ${kind.maxBytes} bytes`, kind);
      throw new UserFileError('FILE_UNREADABLE', `File "${filePath}" grew while it was read: try again once it is complete.`, filePath);
    }
    return buffer.subarray(0, filled);
  } catch (cause) {
    throw cause instanceof UserFileError ? cause : unreadable(filePath, cause);
  } finally {
    await handle.close();
  }
}
