// The store's cryptography: AES-256-GCM for objects and for both wraps of the data key, HMAC-SHA256
// for the file MAC, HKDF-SHA256 for key separation. Keys are 32-byte Buffers.
//
// Key wrap choice: AES-256-GCM with associated data rather than AES-KW (RFC 3394). Both detect a wrong
// key, but GCM lets the wrap be bound to its context (store id, role, Admin Key generation), so a
// wrapped key copied into another store or relabelled with another generation fails to unwrap.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const CHECK_VALUE_BYTES = 16;

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Returns the plaintext, or null when the key, the data or the associated data do not match. */
export function open(key: Buffer, sealed: Sealed, associatedData: string): Buffer | null {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * A value that identifies a wrapping key without revealing it (HMAC of a fixed label). Recorded next to
 * each wrapped data key so that a failed unwrap can be told apart: wrong key vs. modified wrapped key.
 * It deliberately depends on the key only, so that a modified header field cannot make it mismatch.
 */
export function keyCheckValue(key: Buffer): Buffer {
  return createHmac('sha256', key).update('kmip-console/store/v1/key-check').digest().subarray(0, CHECK_VALUE_BYTES);
}

export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key of the file MAC, derived from the data key so that the MAC also proves the data key. */
export function macKeyFor(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'kmip-console/store/v1/file-mac', KEY_BYTES));
}

export function fileMac(dataKey: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', macKeyFor(dataKey)).update(body).digest();
}
