import type { KeyObject, X509Certificate } from 'node:crypto';
import { publicKeySha256 } from './describe';

/** What a credential file holds, parsed; main-process only (holds key material). */
export interface CredentialMaterial {
  /** file order from the parsers; parseCredentialFile puts the leaf first (leafFirst) except for a CA bundle */
  certificates: X509Certificate[];
  privateKey: KeyObject | null;
  /** a password was needed to read the file */
  encrypted: boolean;
  /** PKCS#12 only: the weak algorithms protecting the file (e.g. "certificates: RC2-40"); empty when none */
  weakPkcs12Protection: string[];
}

/** The certificate carries the public key whose SHA-256 (publicKeySha256) is `keyPublicKeySha256`. */
export function holdsKey(cert: X509Certificate, keyPublicKeySha256: string): boolean {
  return publicKeySha256(cert.publicKey) === keyPublicKeySha256;
}

/**
 * The certificates in the order TLS sends them: the leaf, then its issuers as far as the file holds
 * them, then the others in file order. The leaf is the certificate holding the key, else the first
 * that is not a CA (chain files are often written CA first), else the first.
 */
export function leafFirst(certificates: readonly X509Certificate[], keyPublicKeySha256: string | null): X509Certificate[] {
  const leaf =
    (keyPublicKeySha256 === null ? undefined : certificates.find((cert) => holdsKey(cert, keyPublicKeySha256))) ??
    certificates.find((cert) => !cert.ca) ??
    certificates[0];
  if (!leaf) return [];
  const ordered = [leaf];
  let rest = certificates.filter((cert) => cert !== leaf);
  let issuer = rest.find((cert) => leaf.checkIssued(cert));
  while (issuer) {
    const issued = issuer;
    ordered.push(issued);
    rest = rest.filter((cert) => cert !== issued);
    issuer = rest.find((cert) => issued.checkIssued(cert));
  }
  return [...ordered, ...rest];
}

/** `certificates` with each certificate once, in the order of first occurrence (compared byte for byte). */
export function withoutDuplicates(certificates: readonly X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>();
  return certificates.filter((cert) => {
    const der = cert.raw.toString('base64');
    if (seen.has(der)) return false;
    seen.add(der);
    return true;
  });
}
