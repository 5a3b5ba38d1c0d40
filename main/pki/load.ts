// Load File (PRODUCT.md §2, Advanced): read a file as the chosen format, check it for its slot,
// and describe it. Refuses what cannot work (wrong format, wrong password, expired client
// certificate, key not matching its certificate); warns about what may not work.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import path from 'node:path';
import { EXPIRY_WARNING_DAYS, type FileFormat, type FileIssue, type FileSlotId, type LoadedFileDetails } from '../../common/pki-types';
import { FIELDS } from '../../common/settings';
import { certificateDetails, oneLine, privateKeyDetails } from './describe';
import { PkiError } from './errors';
import { leafFirst, withoutDuplicates, type CredentialMaterial } from './material';
import { looksLikePem, parsePem } from './pem';
import { looksLikePkcs12, parsePkcs12 } from './pkcs12';
import { readCredentialFile } from './read-file';

export interface ParseCredentialFileInput {
  slot: FileSlotId;
  format: FileFormat;
  bytes: Buffer;
  /** base name shown in messages and details */
  sourceName: string;
  password?: string;
  now?: Date;
}

export interface ParsedCredentialFile {
  details: LoadedFileDetails;
  /** main-process only: never send this to the renderer or a log */
  material: CredentialMaterial;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CERT_SLOTS: ReadonlySet<FileSlotId> = new Set(['clientCert', 'caCert', 'serverCert']);
const KEY_SLOTS: ReadonlySet<FileSlotId> = new Set(['clientKey', 'serverKey']);

function isDerCertificate(bytes: Buffer): boolean {
  try {
    new X509Certificate(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A DER private key: PKCS#8 (also encrypted), PKCS#1 RSA or SEC1 EC. */
function isDerPrivateKey(bytes: Buffer): boolean {
  return (['pkcs8', 'pkcs1', 'sec1'] as const).some((type) => {
    try {
      createPrivateKey({ key: bytes, format: 'der', type });
      return true;
    } catch (error) {
      // An encrypted PKCS#8 key is recognised before its passphrase is asked for.
      return (error as { code?: unknown }).code === 'ERR_MISSING_PASSPHRASE';
    }
  });
}

function parseAs(format: FileFormat, bytes: Buffer, name: string, password: string | undefined): CredentialMaterial {
  if (format === 'p12') {
    if (looksLikePem(bytes)) {
      throw new PkiError('PKI_WRONG_FORMAT', `"${name}" is a PEM text file, not PKCS#12: choose Format "PEM" and load it again.`);
    }
    if (!looksLikePkcs12(bytes) && isDerCertificate(bytes)) {
      throw new PkiError(
        'PKI_WRONG_FORMAT',
        `"${name}" is a DER-encoded certificate, not PKCS#12: convert it to PEM (openssl x509 -inform der -in "${name}" -out cert.pem) and load it with Format "PEM".`,
      );
    }
    if (!looksLikePkcs12(bytes) && isDerPrivateKey(bytes)) {
      throw new PkiError(
        'PKI_WRONG_FORMAT',
        `"${name}" is a DER-encoded private key, not PKCS#12: convert it to PEM (openssl pkey -inform der -in "${name}" -out key.pem) and load it with Format "PEM".`,
      );
    }
    return parsePkcs12(bytes, name, password);
  }
  if (!looksLikePem(bytes)) {
    if (looksLikePkcs12(bytes)) {
      throw new PkiError('PKI_WRONG_FORMAT', `"${name}" is a PKCS#12 (P12/PFX) file, not PEM: choose Format "P12" and load it again.`);
    }
    if (isDerCertificate(bytes)) {
      throw new PkiError(
        'PKI_WRONG_FORMAT',
        `"${name}" is a DER-encoded certificate, not PEM: convert it (openssl x509 -inform der -in "${name}" -out cert.pem) and load the PEM file.`,
      );
    }
    if (isDerPrivateKey(bytes)) {
      throw new PkiError(
        'PKI_WRONG_FORMAT',
        `"${name}" is a DER-encoded private key, not PEM: convert it (openssl pkey -inform der -in "${name}" -out key.pem) and load the PEM file.`,
      );
    }
    throw new PkiError('PKI_CORRUPTED', `"${name}" is neither PEM text nor PKCS#12: it is damaged or not a certificate/key file.`);
  }
  return parsePem(bytes, name, password);
}

/**
 * Warned, not refused: a self-signed identity made with `openssl req -x509` and the default
 * configuration is CA:TRUE and works as a client certificate or as a self-signed server's pin.
 */
function leafIsCaMessage(slot: 'clientCert' | 'serverCert', subject: string, name: string): string {
  const isCa = `"${subject}" in "${name}" is a CA certificate (basicConstraints CA:TRUE), and the file holds no end-entity certificate`;
  const trustCa = `If it is the CA that issued the ${slot === 'clientCert' ? 'certificates' : "server's certificate"}, load it under ${FIELDS.caCert.label} instead`;
  return slot === 'clientCert'
    ? `${isCa}: it is used as the client certificate. ${trustCa}, and load your own client certificate here.`
    : `${isCa}: the pin is compared with the certificate the server presents, so it matches only a server that presents this certificate itself. ${trustCa}.`;
}

function checkForSlot(slot: FileSlotId, material: CredentialMaterial, name: string, now: Date): FileIssue[] {
  const label = FIELDS[slot].label;
  const warnings: FileIssue[] = [];
  const [leaf] = material.certificates;

  if (CERT_SLOTS.has(slot) && !leaf) {
    throw new PkiError(
      'PKI_NO_CERTIFICATE',
      material.privateKey
        ? `"${name}" holds only a private key: load it under Key, and load the certificate file under ${label}.`
        : `"${name}" holds no certificate: load the certificate file under ${label}.`,
    );
  }
  if (KEY_SLOTS.has(slot) && !material.privateKey) {
    throw new PkiError(
      'PKI_NO_PRIVATE_KEY',
      `"${name}" holds no private key: load the key file (PEM "PRIVATE KEY", or a P12 that contains the key) under ${label}.`,
    );
  }
  const { privateKey } = material;
  if (leaf && privateKey && !material.certificates.some((cert) => cert.checkPrivateKey(privateKey))) {
    throw new PkiError(
      'PKI_KEY_MISMATCH',
      `The private key in "${name}" does not belong to any certificate in the file: export the certificate and its own key together.`,
    );
  }

  const certsToDate = slot === 'caCert' ? material.certificates : leaf ? [leaf] : [];
  for (const cert of certsToDate) {
    const subject = oneLine(cert.subject);
    const notAfter = Date.parse(cert.validTo);
    const notBefore = Date.parse(cert.validFrom);
    const until = new Date(notAfter).toISOString().slice(0, 10);
    if (now.getTime() > notAfter) {
      if (slot === 'clientCert') {
        throw new PkiError('PKI_CERT_EXPIRED', `The certificate "${subject}" in "${name}" expired on ${until}: load a renewed client certificate.`);
      }
      warnings.push({ code: 'CERT_EXPIRED', message: `The certificate "${subject}" expired on ${until}.` });
    } else if (now.getTime() < notBefore) {
      const from = new Date(notBefore).toISOString();
      if (slot === 'clientCert') {
        throw new PkiError(
          'PKI_CERT_NOT_YET_VALID',
          `The certificate "${subject}" in "${name}" is not valid before ${from}: check this computer's clock, or load a certificate that is valid now.`,
        );
      }
      warnings.push({ code: 'CERT_NOT_YET_VALID', message: `The certificate "${subject}" is not valid before ${from}.` });
    } else if (notAfter - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
      const days = Math.floor((notAfter - now.getTime()) / DAY_MS);
      warnings.push({ code: 'CERT_EXPIRES_SOON', message: `The certificate "${subject}" expires in ${days} day(s), on ${until}: renew it before then.` });
    }
  }

  if (slot === 'clientCert' && leaf) {
    const eku = leaf.keyUsage;
    if (eku !== undefined && !eku.includes('1.3.6.1.5.5.7.3.2') && !eku.includes('2.5.29.37.0')) {
      warnings.push({
        code: 'NO_CLIENT_AUTH_EKU',
        message: 'The certificate lacks the clientAuth extended key usage: TLS servers usually refuse it as a client certificate; ask your CA for a TLS client certificate.',
      });
    }
  }
  // With a key in the file the leaf is the key's own certificate: a deliberate (self-signed) identity.
  if ((slot === 'clientCert' || slot === 'serverCert') && leaf?.ca && !privateKey) {
    warnings.push({ code: 'LEAF_IS_CA', message: leafIsCaMessage(slot, oneLine(leaf.subject), name) });
  }
  if (slot === 'caCert') {
    const notCa = material.certificates.filter((cert) => !cert.ca);
    if (notCa.length > 0) {
      warnings.push({
        code: 'NOT_A_CA',
        message: `${notCa.length} certificate(s) in the file are not CA certificates (basicConstraints CA:FALSE); they are still trusted as given.`,
      });
    }
  }
  if ((slot === 'caCert' || slot === 'serverCert') && material.privateKey) {
    warnings.push({ code: 'UNNEEDED_PRIVATE_KEY', message: `The file also holds a private key, which ${label} does not need; it is kept only in the protected copy.` });
  }
  if (material.weakPkcs12Protection.length > 0) {
    warnings.push({
      code: 'LEGACY_PKCS12',
      message: `The PKCS#12 file is protected with outdated, weak algorithms (${material.weakPkcs12Protection.join('; ')}). It was read, but export it again with AES-256 and a SHA-256 MAC when you can (OpenSSL 3: openssl pkcs12 -export without -legacy).`,
    });
  }
  return warnings;
}

/** Notes certificates the file holds more than once (each is kept once: trusting one twice adds nothing). */
function duplicatesDropped(found: number, kept: number): FileIssue[] {
  const dropped = found - kept;
  if (dropped === 0) return [];
  return [{ code: 'DUPLICATE_CERTIFICATES', message: `${dropped} duplicate certificate(s) in the file were left out; ${kept} distinct certificate(s) kept.` }];
}

export function parseCredentialFile(input: ParseCredentialFileInput): ParsedCredentialFile {
  const now = input.now ?? new Date();
  const parsed = parseAs(input.format, input.bytes, input.sourceName, input.password);
  const distinct = withoutDuplicates(parsed.certificates);
  // A CA bundle keeps the file's order; every other slot uses its first certificate as the leaf.
  const material = { ...parsed, certificates: input.slot === 'caCert' ? distinct : leafFirst(distinct, parsed.privateKey) };
  const warnings = [...checkForSlot(input.slot, material, input.sourceName, now), ...duplicatesDropped(parsed.certificates.length, material.certificates.length)];
  return {
    material,
    details: {
      slot: input.slot,
      format: input.format,
      sourceName: input.sourceName,
      sizeBytes: input.bytes.length,
      encrypted: material.encrypted,
      certificates: material.certificates.map(certificateDetails),
      privateKey: material.privateKey ? privateKeyDetails(material.privateKey) : null,
      warnings,
    },
  };
}

/** Reads (size-capped) and parses a file the user picked. */
export async function loadCredentialFile(input: Omit<ParseCredentialFileInput, 'bytes' | 'sourceName'> & { path: string }): Promise<ParsedCredentialFile & { bytes: Buffer }> {
  const bytes = await readCredentialFile(input.path);
  const parsed = parseCredentialFile({ ...input, bytes, sourceName: path.basename(input.path) });
  return { ...parsed, bytes };
}
