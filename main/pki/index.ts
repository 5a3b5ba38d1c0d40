export { PkiError, type PkiErrorCode } from './errors';
export { readCredentialFile } from './read-file';
export { loadCredentialFile, parseCredentialFile, type ParseCredentialFileInput, type ParsedCredentialFile } from './load';
export type { CredentialMaterial } from './material';
export { certificateDetails, privateKeyDetails, publicKeySha256 } from './describe';
