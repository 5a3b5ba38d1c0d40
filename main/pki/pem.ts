// PEM files: one or more certificates and at most one private key (possibly encrypted).
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { PkiError, checkPasswordAdvice } from './errors';
import type { CredentialMaterial } from './material';

// Blanks may end the BEGIN line, as OpenSSL allows (Node's parsers accept them on the other lines).
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[ \t]*\r?\n[\s\S]*?-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY']);
const IGNORED_LABELS = new Set(['EC PARAMETERS', 'DH PARAMETERS', 'X509 CRL', 'PUBLIC KEY']);

export function looksLikePem(bytes: Buffer): boolean {
  return bytes.includes('-----BEGIN ');
}

interface PemBlock {
  label: string;
  text: string;
}

function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1] ?? '', text: m[0] }));
}

function decryptKey(block: PemBlock, fileName: string, password: string | undefined): { key: KeyObject; encrypted: boolean } {
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block.text);
  if (encrypted && !password) {
    throw new PkiError('PKI_PASSWORD_REQUIRED', `The private key in "${fileName}" is encrypted: enter its password and load the file again.`);
  }
  try {
    const key = createPrivateKey(encrypted ? { key: block.text, format: 'pem', passphrase: password } : { key: block.text, format: 'pem' });
    return { key, encrypted };
  } catch (cause) {
    if (encrypted) {
      throw new PkiError(
        'PKI_WRONG_PASSWORD',
        `The password does not decrypt the private key in "${fileName}": ${checkPasswordAdvice(password ?? '')}.`,
        { cause },
      );
    }
    throw new PkiError('PKI_CORRUPTED', `The private key in "${fileName}" is damaged or of an unsupported kind: export it again as PEM (PKCS#8).`, {
      cause,
    });
  }
}

export function parsePem(bytes: Buffer, fileName: string, password: string | undefined): CredentialMaterial {
  const blocks = pemBlocks(bytes.toString('utf8'));
  if (blocks.length === 0) {
    throw new PkiError('PKI_CORRUPTED', `"${fileName}" has no complete PEM block ("-----BEGIN …-----" … "-----END …-----"): the file is truncated or not a certificate/key file.`);
  }
  const certificates: X509Certificate[] = [];
  const keys: PemBlock[] = [];
  for (const block of blocks) {
    if (block.label === 'CERTIFICATE' || block.label === 'X509 CERTIFICATE') {
      try {
        certificates.push(new X509Certificate(block.text));
      } catch (cause) {
        throw new PkiError('PKI_CORRUPTED', `Certificate ${certificates.length + 1} in "${fileName}" is damaged (its base64 content does not decode to a certificate): get a fresh copy of the file.`, { cause });
      }
    } else if (KEY_LABELS.has(block.label)) {
      keys.push(block);
    } else if (block.label === 'CERTIFICATE REQUEST' || block.label === 'NEW CERTIFICATE REQUEST') {
      throw new PkiError('PKI_NO_CERTIFICATE', `"${fileName}" is a certificate signing request (CSR), not a certificate: load the certificate your CA issued for it.`);
    } else if (!IGNORED_LABELS.has(block.label)) {
      throw new PkiError('PKI_CORRUPTED', `"${fileName}" contains a "${block.label}" block, which is neither a certificate nor a private key: load a PEM certificate or key file.`);
    }
  }
  if (keys.length > 1) {
    throw new PkiError('PKI_CORRUPTED', `"${fileName}" contains ${keys.length} private keys: keep only the one that belongs to the certificate.`);
  }
  const [keyBlock] = keys;
  const decrypted = keyBlock ? decryptKey(keyBlock, fileName, password) : null;
  const privateKey = decrypted?.key ?? null;
  return { certificates, privateKey, encrypted: decrypted?.encrypted ?? false, weakPkcs12Protection: [] };
}
