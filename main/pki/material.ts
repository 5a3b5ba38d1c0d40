import type { KeyObject, X509Certificate } from 'node:crypto';

/** What a credential file holds, parsed; main-process only (holds key material). */
export interface CredentialMaterial {
  /** leaf first when a private key is present: the certificate matching that key */
  certificates: X509Certificate[];
  privateKey: KeyObject | null;
  /** a password was needed to read the file */
  encrypted: boolean;
  /** PKCS#12 only: OpenSSL in this process could not read it (legacy RC2/DES), the fallback parser did */
  legacyPkcs12: boolean;
}

/** Moves the certificate that matches the key to the front. */
export function leafFirst(certificates: X509Certificate[], privateKey: KeyObject | null): X509Certificate[] {
  if (!privateKey) return certificates;
  const index = certificates.findIndex((cert) => cert.checkPrivateKey(privateKey));
  if (index <= 0) return certificates;
  const leaf = certificates[index];
  return leaf ? [leaf, ...certificates.filter((_, i) => i !== index)] : certificates;
}
