// Reads a user-picked certificate/key file, size-capped before reading (a wrong pick such as a disk
// image must not be slurped into memory), with the PKI error codes the settings dialog knows.
import { MAX_CREDENTIAL_FILE_BYTES } from '../../common/pki-types';
import { readUserFile, UserFileError } from '../files';
import { PkiError } from './errors';

export async function readCredentialFile(filePath: string, maxBytes: number = MAX_CREDENTIAL_FILE_BYTES): Promise<Buffer> {
  try {
    return await readUserFile(filePath, { what: 'certificate or key file', maxBytes });
  } catch (error) {
    if (!(error instanceof UserFileError)) throw error;
    throw new PkiError(error.code === 'FILE_TOO_LARGE' ? 'PKI_FILE_TOO_LARGE' : 'PKI_UNREADABLE', error.message, { cause: error });
  }
}
