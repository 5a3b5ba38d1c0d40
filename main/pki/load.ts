// Load File (PRODUCT.md §2, Advanced): read a file as the chosen format, check it for its slot,
// and describe it. Refuses what cannot work (wrong format, wrong password, expired client
// certificate, key not matching its certificate); warns about what may not work.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import path from 'node:path';
import { EXPIRY_WARNING_DAYS, type FileFormat, type FileIssue, type FileSlotId, type LoadedFileDetails } from '../../common/pki-types';
import { FIELDS } from '../../common/settings';
import { certificateDetails, isSelfSigned, oneLine, privateKeyDetails, publicKeySha256 } from './describe';
import { PkiError } from './errors';
import { holdsKey, leafFirst, withoutDuplicates, type CredentialMaterial } from './material';
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
  /**
   * Cert and Server Cert: the details of the file loaded under the paired Key or Server Key slot.
   * TLS is given its key in place of one in this file, so the certificate holding it is the leaf.
   */
  pairedKey?: PairedKey | null;
}

/** What the leaf choice needs of the paired key slot's file (its LoadedFileDetails fit). */
export type PairedKey = Pick<LoadedFileDetails, 'privateKey' | 'sourceName'>;

export interface ParsedCredentialFile {
  details: LoadedFileDetails;
  /** main-process only: never send this to the renderer or a log */
  material: CredentialMaterial;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CERT_SLOTS: ReadonlySet<FileSlotId> = new Set(['clientCert', 'caCert', 'serverCert']);
const KEY_SLOTS: ReadonlySet<FileSlotId> = new Set(['clientKey', 'serverKey']);
const KEY_SLOT_OF: Readonly<Partial<Record<FileSlotId, FileSlotId>>> = { clientCert: 'clientKey', serverCert: 'serverKey' };

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
  if (bytes.length === 0) {
    throw new PkiError('PKI_CORRUPTED', `"${name}" is empty (0 bytes): choose the certificate or key file itself, or copy it again if it was cut short.`);
  }
  if (format === 'p12') {
    if (looksLikePem(bytes)) {
      throw new PkiError('PKI_WRONG_FORMAT', `"${name}" is a PEM text file, not PKCS#12: choose Format "PEM" and load it again.`);
    }
    if (!looksLikePkcs12(bytes)) {
      if (isDerCertificate(bytes)) {
        throw new PkiError(
          'PKI_WRONG_FORMAT',
          `"${name}" is a DER-encoded certificate, not PKCS#12: convert it to PEM (openssl x509 -inform der -in "${name}" -out cert.pem) and load it with Format "PEM".`,
        );
      }
      if (isDerPrivateKey(bytes)) {
        throw new PkiError(
          'PKI_WRONG_FORMAT',
          `"${name}" is a DER-encoded private key, not PKCS#12: convert it to PEM (openssl pkey -inform der -in "${name}" -out key.pem) and load it with Format "PEM".`,
        );
      }
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

/** A key loaded under the paired key slot `slot`, from the file `sourceName`. */
interface SlotKey {
  publicKeySha256: string;
  sourceName: string;
  slot: FileSlotId;
}

/** The paired key slot's key, for Cert and Server Cert (the key TLS is given, so it picks the leaf). */
function pairedKeyFor(slot: FileSlotId, pairedKey: PairedKey | null | undefined): SlotKey | null {
  const keySlot = KEY_SLOT_OF[slot];
  const publicKeySha256 = pairedKey?.privateKey?.publicKeySha256;
  return keySlot && pairedKey && publicKeySha256 ? { publicKeySha256, sourceName: pairedKey.sourceName, slot: keySlot } : null;
}

/** `"certs.pem" holds 2 end-entity certificates ("CN=a", "CN=b")` */
function holdsEndEntities(name: string, endEntities: readonly X509Certificate[]): string {
  return `"${name}" holds ${endEntities.length} end-entity certificates (${endEntities.map((cert) => `"${oneLine(cert.subject)}"`).join(', ')})`;
}

function ownKeyMismatch(name: string, endEntities: readonly X509Certificate[]): PkiError {
  const which =
    endEntities.length > 1
      ? `${holdsEndEntities(name, endEntities)}, and none of them belongs to the private key in the file`
      : `The private key in "${name}" does not belong to any certificate in the file`;
  return new PkiError('PKI_KEY_MISMATCH', `${which}: export the certificate and its own key together.`);
}

function pairedKeyMismatch(slot: FileSlotId, name: string, endEntities: readonly X509Certificate[], key: SlotKey): PkiError {
  const keyLabel = FIELDS[key.slot].label;
  return new PkiError(
    'PKI_KEY_MISMATCH',
    `${holdsEndEntities(name, endEntities)}, and none of them belongs to the private key in "${key.sourceName}" (${keyLabel}): ` +
      `load under ${FIELDS[slot].label} the certificate issued with that key, or load under ${keyLabel} the key of one of these certificates.`,
  );
}

/** Without a key to tell them apart, the first of several end-entity certificates is the leaf: say which. */
function severalEndEntitiesMessage(slot: 'clientCert' | 'serverCert', name: string, endEntities: readonly X509Certificate[]): string {
  const first = `"${oneLine(endEntities[0]?.subject ?? '')}"`;
  return slot === 'clientCert'
    ? `${holdsEndEntities(name, endEntities)}: ${first}, the first of them, is used as the client certificate. To use another, load its key under ${FIELDS.clientKey.label} (the certificate the key belongs to is then used), or keep only that certificate and its CA chain in the file.`
    : `${holdsEndEntities(name, endEntities)}: ${first}, the first of them, is pinned, so the server must present that one. To pin another, keep only that certificate in the file.`;
}

function checkForSlot(slot: FileSlotId, material: CredentialMaterial, name: string, now: Date, pairedKey: SlotKey | null): FileIssue[] {
  const label = FIELDS[slot].label;
  const warnings: FileIssue[] = [];
  const [leaf] = material.certificates;
  const endEntities = material.certificates.filter((cert) => !cert.ca);

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
  const ownKeySha256 = privateKey ? publicKeySha256(privateKey) : null;
  if (leaf && ownKeySha256 && !material.certificates.some((cert) => holdsKey(cert, ownKeySha256))) {
    throw ownKeyMismatch(name, endEntities);
  }
  // Among several end-entity certificates the key under Key is what picks the leaf. A lone one that
  // does not hold it is the caller's to judge (a new certificate may come before its new key).
  if (pairedKey && endEntities.length > 1 && !material.certificates.some((cert) => holdsKey(cert, pairedKey.publicKeySha256))) {
    throw pairedKeyMismatch(slot, name, endEntities, pairedKey);
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
  if ((slot === 'clientCert' || slot === 'serverCert') && !privateKey && !pairedKey && endEntities.length > 1) {
    warnings.push({ code: 'SEVERAL_END_ENTITY_CERTIFICATES', message: severalEndEntitiesMessage(slot, name, endEntities) });
  }
  if (slot === 'caCert') {
    warnings.push(...material.certificates.filter((cert) => !cert.ca).map(notACaWarning));
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

/**
 * A certificate under CA Trusted Cert that is no CA. OpenSSL takes a trusted certificate as the end of
 * a chain only when it is self-signed: one issued by a CA (a server's own certificate) verifies nothing.
 */
function notACaWarning(cert: X509Certificate): FileIssue {
  const subject = oneLine(cert.subject);
  if (isSelfSigned(cert)) {
    return {
      code: 'NOT_A_CA',
      message: `"${subject}" is not a CA certificate (basicConstraints CA:FALSE) but is self-signed: it verifies only a server that presents this very certificate.`,
    };
  }
  return {
    code: 'NOT_A_CA',
    message:
      `"${subject}" is not a CA certificate (basicConstraints CA:FALSE) and not self-signed, so it verifies no server, not even one that presents it. ` +
      `Load the CA certificate that issued it ("${oneLine(cert.issuer)}") under CA Trusted Cert instead.`,
  };
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
  const pairedKey = pairedKeyFor(input.slot, input.pairedKey);
  const leafKeySha256 = pairedKey?.publicKeySha256 ?? (parsed.privateKey ? publicKeySha256(parsed.privateKey) : null);
  // A CA bundle keeps the file's order; every other file is sent leaf first, then its chain.
  const material = { ...parsed, certificates: input.slot === 'caCert' ? distinct : leafFirst(distinct, leafKeySha256) };
  const warnings = [
    ...checkForSlot(input.slot, material, input.sourceName, now, pairedKey),
    ...duplicatesDropped(parsed.certificates.length, material.certificates.length),
  ];
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
