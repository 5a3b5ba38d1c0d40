import type { KeyObject, X509Certificate } from 'node:crypto';

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

/**
 * The end-entity certificate first: the one matching the key, else the first that is not a CA
 * (chain files are often written CA first); the others keep their order.
 */
export function leafFirst(certificates: X509Certificate[], privateKey: KeyObject | null): X509Certificate[] {
  const keyIndex = privateKey ? certificates.findIndex((cert) => cert.checkPrivateKey(privateKey)) : -1;
  const index = keyIndex >= 0 ? keyIndex : certificates.findIndex((cert) => !cert.ca);
  if (index <= 0) return certificates;
  const leaf = certificates[index];
  return leaf ? [leaf, ...certificates.filter((_, i) => i !== index)] : certificates;
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
