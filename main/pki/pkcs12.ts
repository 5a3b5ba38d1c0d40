// PKCS#12 files. Contents are read with node-forge, which handles modern (AES/PBKDF2) and legacy
// (RC2-40, 3DES, SHA-1 MAC) files alike (OpenSSL 3 in Node refuses the legacy ones).
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { messageOf } from '../../common/app-error';
import { PkiError, checkPasswordAdvice } from './errors';
import type { CredentialMaterial } from './material';
import { weakPkcs12Protection } from './pkcs12-protection';

// PKCS#12 SafeBag types (RFC 7292 §4.2).
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
/** The arc of PKCS#7 content types (data, signedData, …), RFC 2315 §14. */
const PKCS7_CONTENT_TYPES = '1.2.840.113549.1.7.';

/** node-forge's message when the MAC, checked before anything is decrypted, does not match the password. */
const MAC_MISMATCH = /MAC could not be verified/;
/** Every node-forge error raised while checking the MAC names it (mismatch, unsupported digest, …). */
const MAC_STAGE = /MAC/;
/** node-forge's messages when a part of the file does not decrypt with the password. */
const DECRYPTION_FAILED = /Failed to decrypt PKCS#12 SafeContents|Unable to decrypt PKCS#8 ShroudedKeyBag/;

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function parsePfxAsn1(bytes: Buffer): forge.asn1.Asn1 | null {
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
    // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData MacData OPTIONAL }; the
    // ContentInfo's type is a PKCS#7 one (this tells a PFX from a DER PKCS#8 private key).
    const [version, authSafe] = Array.isArray(asn1.value) ? asn1.value : [];
    const [contentType] = Array.isArray(authSafe?.value) ? authSafe.value : [];
    const isPfx =
      asn1.type === forge.asn1.Type.SEQUENCE &&
      version?.type === forge.asn1.Type.INTEGER &&
      contentType?.type === forge.asn1.Type.OID &&
      typeof contentType.value === 'string' &&
      forge.asn1.derToOid(contentType.value).startsWith(PKCS7_CONTENT_TYPES);
    return isPfx ? asn1 : null;
  } catch {
    return null;
  }
}

export function looksLikePkcs12(bytes: Buffer): boolean {
  return parsePfxAsn1(bytes) !== null;
}

/** For an ASCII password every encoding gives the same bytes, so there is nothing to retry. */
function isAscii(password: string): boolean {
  return /^\p{ASCII}*$/u.test(password);
}

function hasMac(pfx: forge.asn1.Asn1): boolean {
  return Array.isArray(pfx.value) && pfx.value.length > 2;
}

/** The PFX without its MacData, so that node-forge does not check the MAC again. */
function withoutMac(pfx: forge.asn1.Asn1): forge.asn1.Asn1 {
  return { ...pfx, value: Array.isArray(pfx.value) ? pfx.value.slice(0, 2) : pfx.value };
}

function openPfx(asn1: forge.asn1.Asn1, password: string): forge.pkcs12.Pkcs12Pfx {
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    // node-forge derives PBES2 (AES) keys from the password's characters taken as bytes (Latin-1 at
    // best); OpenSSL uses its UTF-8 bytes, so retry with those. A wrong key shows as a padding error or,
    // when the padding happens to look right, as garbage that fails later: any error after the MAC
    // check. The MAC (over the password as UTF-16, which node-forge gets right) has passed by then,
    // so the retry skips it.
    if (MAC_STAGE.test(messageOf(error)) || isAscii(password)) throw error;
    return forge.pkcs12.pkcs12FromAsn1(withoutMac(asn1), false, Buffer.from(password, 'utf8').toString('binary'));
  }
}

/** Opens the file with `password`, or with none when it was not needed; refuses with the reason. */
function openWithPassword(asn1: forge.asn1.Asn1, fileName: string, password: string | undefined): { pfx: forge.pkcs12.Pkcs12Pfx; encrypted: boolean } {
  let failure: { attempt: string; error: unknown } = { attempt: '', error: undefined };
  for (const attempt of password ? [password, ''] : ['']) {
    try {
      return { pfx: openPfx(asn1, attempt), encrypted: attempt !== '' };
    } catch (error) {
      failure = { attempt, error };
      if (!MAC_MISMATCH.test(messageOf(error))) break;
    }
  }
  const reason = messageOf(failure.error);
  // Without a MAC, a wrong password shows only as contents that do not decrypt.
  if (MAC_MISMATCH.test(reason) || (DECRYPTION_FAILED.test(reason) && !hasMac(asn1))) {
    throw password
      ? new PkiError('PKI_WRONG_PASSWORD', `The password does not open "${fileName}": ${checkPasswordAdvice(password)}.`)
      : new PkiError('PKI_PASSWORD_REQUIRED', `"${fileName}" is password protected: enter its password and load the file again.`);
  }
  // A passed MAC proves both the password and the file's integrity: only the key derivation can be wrong.
  if (hasMac(asn1) && !MAC_STAGE.test(reason) && !/unsupported/i.test(reason) && !isAscii(failure.attempt)) {
    throw new PkiError(
      'PKI_WRONG_PASSWORD',
      `The password is right for "${fileName}" (its integrity check passes), but the file's contents do not decrypt with it: the program that wrote the file encoded the password's non-ASCII characters in a way this app does not reproduce. Export the file again with a password of ASCII letters, digits and punctuation only.`,
      { cause: failure.error },
    );
  }
  throw new PkiError('PKI_CORRUPTED', `"${fileName}" could not be read as PKCS#12 (${reason}): export it again.`, { cause: failure.error });
}

export function parsePkcs12(bytes: Buffer, fileName: string, password: string | undefined): CredentialMaterial {
  const asn1 = parsePfxAsn1(bytes);
  if (!asn1) {
    throw new PkiError('PKI_CORRUPTED', `"${fileName}" is not a valid PKCS#12 (P12/PFX) file: it is damaged or of another kind; export it again.`);
  }
  const { pfx, encrypted } = openWithPassword(asn1, fileName, password);

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
  return { certificates, privateKey, encrypted, weakPkcs12Protection: weakPkcs12Protection(asn1) };
}
