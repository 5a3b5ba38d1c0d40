// Reads a user-picked certificate/key file with a size cap checked before reading (a wrong pick
// such as a disk image must not be slurped into memory).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { MAX_CREDENTIAL_FILE_BYTES } from '../../common/pki-types';
import { PkiError } from './errors';

function unreadable(filePath: string, cause: unknown): PkiError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const name = `"${filePath}"`;
  const message =
    code === 'ENOENT'
      ? `File ${name} does not exist: pick the file again.`
      : code === 'EACCES' || code === 'EPERM'
        ? `File ${name} cannot be read: this user has no permission to read it; fix its permissions or copy it somewhere readable.`
        : code === 'EISDIR'
          ? `${name} is a folder: pick the certificate or key file inside it.`
          : `File ${name} cannot be read (${code ?? String(cause)}): check that it is a local, readable file.`;
  return new PkiError('PKI_UNREADABLE', message, { cause });
}

export async function readCredentialFile(filePath: string, maxBytes: number = MAX_CREDENTIAL_FILE_BYTES): Promise<Buffer> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO or device must not hang the app; regular files are unaffected.
    handle = await open(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    throw unreadable(filePath, cause);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw unreadable(filePath, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    if (!info.isFile()) {
      throw new PkiError('PKI_UNREADABLE', `"${filePath}" is not a regular file: pick the certificate or key file itself.`);
    }
    if (info.size > maxBytes) {
      throw new PkiError(
        'PKI_FILE_TOO_LARGE',
        `File "${path.basename(filePath)}" is ${info.size} bytes; certificate and key files are at most ${maxBytes} bytes. ` +
          'Check that you picked the right file.',
      );
    }
    // Read at most maxBytes + 1 so a file growing after stat is still caught.
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) {
      throw new PkiError('PKI_FILE_TOO_LARGE', `File "${path.basename(filePath)}" is larger than ${maxBytes} bytes: check that you picked the right file.`);
    }
    return buffer.subarray(0, bytesRead);
  } catch (cause) {
    throw cause instanceof PkiError ? cause : unreadable(filePath, cause);
  } finally {
    await handle.close();
  }
}
