// Settings with loaded-file details, built without parsing files (the pki tests cover parsing).
import type { CertificateDetails, FileSlotId, LoadedFileDetails } from '../../../common/pki-types';
import { defaultSettings, type Settings, type StoredFile } from '../../../common/settings';

const DAY = 86_400_000;

export function cert(overrides: Partial<CertificateDetails> = {}, now = Date.now()): CertificateDetails {
  return {
    subject: 'O=tests, CN=client',
    issuer: 'O=tests, CN=ca',
    serialNumber: '01',
    notBefore: new Date(now - 10 * DAY).toISOString(),
    notAfter: new Date(now + 365 * DAY).toISOString(),
    sha256Fingerprint: 'AA:BB',
    publicKey: { type: 'rsa', sizeBits: 2048, curve: null },
    publicKeySha256: 'key-1',
    extendedKeyUsage: ['clientAuth'],
    subjectAltName: null,
    isCa: false,
    selfSigned: false,
    ...overrides,
  };
}

export function stored(slot: FileSlotId, details: Partial<LoadedFileDetails> = {}, passwordStored = false): StoredFile {
  return {
    fileName: `${slot}-0000.pem`,
    format: 'pem',
    loadedAt: new Date().toISOString(),
    password: { stored: passwordStored, savedAt: passwordStored ? new Date().toISOString() : null },
    details: {
      slot,
      format: 'pem',
      sourceName: `${slot}.pem`,
      sizeBytes: 1000,
      encrypted: false,
      certificates: [],
      privateKey: null,
      warnings: [],
      ...details,
    },
  };
}

export function privateKey(publicKeySha256 = 'key-1'): LoadedFileDetails['privateKey'] {
  return { type: 'rsa', sizeBits: 2048, curve: null, publicKeySha256 };
}

/** Valid for Apply: name, host, and a matching client cert + key. */
export function validSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    ...defaultSettings(),
    serverName: 'EKS lab',
    hostName: 'kms.example.com',
    clientCert: stored('clientCert', { certificates: [cert()] }),
    clientKey: stored('clientKey', { privateKey: privateKey() }),
    ...overrides,
  };
}
