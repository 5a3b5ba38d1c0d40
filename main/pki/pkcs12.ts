// PKCS#12 files. Contents are read with node-forge, which handles modern (AES/PBKDF2) and legacy
// (RC2-40, 3DES, SHA-1 MAC) files alike; OpenSSL 3 in Node refuses the legacy ones, so whether
// Node could have read it is recorded for a warning.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { PkiError } from './errors';
import { leafFirst, type CredentialMaterial } from './material';

// PKCS#12 SafeBag types (RFC 7292 §4.2).
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function parsePfxAsn1(bytes: Buffer): forge.asn1.Asn1 | null {
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
    // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData MacData OPTIONAL }
    const [version, authSafe] = Array.isArray(asn1.value) ? asn1.value : [];
    const isPfx =
      asn1.type === forge.asn1.Type.SEQUENCE &&
      version?.type === forge.asn1.Type.INTEGER &&
      authSafe?.type === forge.asn1.Type.SEQUENCE;
    return isPfx ? asn1 : null;
  } catch {
    return null;
  }
}

export function looksLikePkcs12(bytes: Buffer): boolean {
  return parsePfxAsn1(bytes) !== null;
}

function isPasswordError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /MAC could not be verified|wrong password|Invalid password|Unable to decrypt/i.test(text);
}

function openPfx(asn1: forge.asn1.Asn1, password: string): forge.pkcs12.Pkcs12Pfx {
  return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
}

function nodeCanRead(bytes: Buffer, password: string): boolean {
  try {
    createSecureContext({ pfx: bytes, passphrase: password });
    return true;
  } catch {
    return false;
  }
}

export function parsePkcs12(bytes: Buffer, fileName: string, password: string | undefined): CredentialMaterial {
  const asn1 = parsePfxAsn1(bytes);
  if (!asn1) {
    throw new PkiError('PKI_CORRUPTED', `"${fileName}" is not a valid PKCS#12 (P12/PFX) file: it is damaged or of another kind; export it again.`);
  }
  let pfx: forge.pkcs12.Pkcs12Pfx | undefined;
  let usedPassword = '';
  const attempts = password ? [password, ''] : [''];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      pfx = openPfx(asn1, attempt);
      usedPassword = attempt;
      break;
    } catch (error) {
      lastError = error;
      if (!isPasswordError(error)) break;
    }
  }
  if (!pfx) {
    if (isPasswordError(lastError)) {
      throw password
        ? new PkiError('PKI_WRONG_PASSWORD', `The password does not open "${fileName}": check the password (it is case-sensitive) and load the file again.`)
        : new PkiError('PKI_PASSWORD_REQUIRED', `"${fileName}" is password protected: enter its password and load the file again.`);
    }
    throw new PkiError('PKI_CORRUPTED', `"${fileName}" could not be read as PKCS#12 (${lastError instanceof Error ? lastError.message : 'unknown structure'}): export it again.`, {
      cause: lastError,
    });
  }

  const certificates: X509Certificate[] = [];
  const keys: KeyObject[] = [];
  try {
    for (const bag of pfx.getBags({ bagType: CERT_BAG })[CERT_BAG] ?? []) {
      const certAsn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
      if (certAsn1) certificates.push(new X509Certificate(derOf(certAsn1)));
    }
    for (const type of [SHROUDED_KEY_BAG, KEY_BAG]) {
      for (const bag of pfx.getBags({ bagType: type })[type] ?? []) {
        // forge decodes RSA keys only; other key types keep their PrivateKeyInfo in bag.asn1.
        const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
        if (info) keys.push(createPrivateKey({ key: derOf(info), format: 'der', type: 'pkcs8' }));
      }
    }
  } catch (cause) {
    throw new PkiError('PKI_CORRUPTED', `A certificate or key inside "${fileName}" is damaged: export the PKCS#12 file again.`, { cause });
  }
  if (keys.length > 1) {
    throw new PkiError('PKI_CORRUPTED', `"${fileName}" holds ${keys.length} private keys: export a PKCS#12 file with only the one identity.`);
  }
  const privateKey = keys[0] ?? null;
  return {
    certificates: leafFirst(certificates, privateKey),
    privateKey,
    encrypted: usedPassword !== '',
    legacyPkcs12: !nodeCanRead(bytes, usedPassword),
  };
}
