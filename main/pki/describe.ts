// Turns Node crypto objects into the displayable details of common/pki-types (no key material).
import { createHash, createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import type { CertificateDetails, KeyDetails, PrivateKeyDetails } from '../../common/pki-types';

const EKU_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
};

const OKP_BITS: Readonly<Record<string, number>> = { ed25519: 256, ed448: 456, x25519: 256, x448: 448 };

export function keyDetails(key: KeyObject): KeyDetails {
  const type = key.asymmetricKeyType ?? 'unknown';
  const info = key.asymmetricKeyDetails ?? {};
  const curve = info.namedCurve ?? null;
  const sizeBits = info.modulusLength ?? (curve ? (CURVE_BITS[curve] ?? null) : (OKP_BITS[type] ?? null));
  return { type, sizeBits, curve };
}

/** SHA-256 of the DER SubjectPublicKeyInfo, hex: identical for a certificate and its private key. */
export function publicKeySha256(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function privateKeyDetails(key: KeyObject): PrivateKeyDetails {
  return { ...keyDetails(key), publicKeySha256: publicKeySha256(key) };
}

/** A distinguished name as Node gives it (one attribute per line) on one line, comma-separated. */
export function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').filter(Boolean).join(', ');
}

/** Issued by itself: its issuer is its subject, and its own key verifies its signature. */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

export function certificateDetails(cert: X509Certificate): CertificateDetails {
  const eku = cert.keyUsage; // Node names the extended key usage list "keyUsage"
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    serialNumber: cert.serialNumber,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    sha256Fingerprint: cert.fingerprint256,
    publicKey: keyDetails(cert.publicKey),
    publicKeySha256: publicKeySha256(cert.publicKey),
    extendedKeyUsage: eku === undefined ? null : eku.map((oid) => EKU_NAMES[oid] ?? oid),
    subjectAltName: cert.subjectAltName ?? null,
    isCa: cert.ca,
    selfSigned: isSelfSigned(cert),
  };
}
