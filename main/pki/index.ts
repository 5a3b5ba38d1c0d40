// Certificate and key files (PEM, PKCS#12 incl. legacy RC2): read with a size cap, parse, check
// for a dialog slot, describe without key material. Main process only.
export { PkiError, type PkiErrorCode } from './errors';
export { readCredentialFile } from './read-file';
export { loadCredentialFile, parseCredentialFile, type PairedKey, type ParseCredentialFileInput, type ParsedCredentialFile } from './load';
export type { CredentialMaterial } from './material';
export { certificateDetails, privateKeyDetails, publicKeySha256 } from './describe';
