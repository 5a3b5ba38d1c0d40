// On-disk format of a store file and of a backup file (the same format, kind "backup", no local wrap).
//
//   line 1: the body, one line of JSON (format, kind, header, objects)
//   line 2: "hmac-sha256:" + base64 HMAC-SHA256 over the exact bytes of line 1, keyed from the data key
//
// The MAC covers the body byte for byte, so any change to the file (even inside JSON whitespace) shows.
import { z } from 'zod';
import { OBJECT_NAME_MAX_CHARACTERS } from '../../common/object-name';
import { characterCount } from '../../common/text';
import { StoreError } from './errors';

export const STORE_FORMAT = 'kmip-console-store';
export const FORMAT_VERSION = 1;
const MAC_PREFIX = 'hmac-sha256:';
const FILE_START = Buffer.from(`{"format":"${STORE_FORMAT}"`, 'utf8');

// Canonical base64 only: a changed unused bit in the last character would decode to the same bytes.
const bytes = z.base64().refine((text) => Buffer.from(text, 'base64').toString('base64') === text, 'non-canonical base64');

export const WrappedKeySchema = z.strictObject({
  algorithm: z.literal('A256GCM'),
  iv: bytes,
  ciphertext: bytes,
  tag: bytes,
  /** identifies the wrapping key (see keyCheckValue) */
  keyCheck: bytes,
});
export type WrappedKey = z.infer<typeof WrappedKeySchema>;

export const ServerIdentitySchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** SHA-256 fingerprint of the server certificate seen at Apply, "AA:BB:…"; null when not known */
  certFingerprintSha256: z.string().nullable(),
});
export type ServerIdentity = z.infer<typeof ServerIdentitySchema>;

/** Where the current Admin Key generation lives on the key server. */
export const AdminKeyRefSchema = z.strictObject({
  generation: z.number().int().min(1),
  /** the KMIP Name attribute: kmip-console/<storeId>/admin-key/<generation> */
  name: z.string().min(1),
  uniqueIdentifier: z.string().min(1),
  objectType: z.enum(['SymmetricKey', 'SecretData']),
  server: ServerIdentitySchema,
  registeredAt: z.iso.datetime(),
});
export type AdminKeyRef = z.infer<typeof AdminKeyRefSchema>;

export const HeaderSchema = z.strictObject({
  storeId: z.uuid(),
  formatVersion: z.literal(FORMAT_VERSION),
  /** null until the first Apply */
  adminKey: AdminKeyRefSchema.nullable(),
  wrappedDataKey: z.strictObject({
    /** under the local unlock key from the OS keychain; null in a backup */
    local: WrappedKeySchema.nullable(),
    /** under the current Admin Key generation; null until the first Apply */
    admin: WrappedKeySchema.nullable(),
  }),
});
export type StoreHeader = z.infer<typeof HeaderSchema>;

export const ObjectKindSchema = z.enum(['secret', 'key']);
export type ObjectKind = z.infer<typeof ObjectKindSchema>;

const ObjectNameSchema = z.string().refine((name) => {
  const length = characterCount(name);
  return length >= 1 && length <= OBJECT_NAME_MAX_CHARACTERS;
});

export const StoredObjectSchema = z.strictObject({
  id: z.uuid(),
  name: ObjectNameSchema,
  kind: ObjectKindSchema,
  created: z.iso.datetime(),
  iv: bytes,
  ciphertext: bytes,
  tag: bytes,
});
export type StoredObject = z.infer<typeof StoredObjectSchema>;

export const StoreBodySchema = z.strictObject({
  format: z.literal(STORE_FORMAT),
  kind: z.enum(['store', 'backup']),
  header: HeaderSchema,
  objects: z.array(StoredObjectSchema),
});
export type StoreBody = z.infer<typeof StoreBodySchema>;

export interface ParsedFile {
  body: StoreBody;
  /** the exact bytes the MAC covers */
  bodyBytes: Buffer;
  mac: Buffer;
}

export function serialize(body: StoreBody, mac: (bodyBytes: Buffer) => Buffer): Buffer {
  const bodyBytes = Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.concat([bodyBytes, Buffer.from(`\n${MAC_PREFIX}${mac(bodyBytes).toString('base64')}\n`, 'utf8')]);
}

/**
 * Splits and validates a file. A file that is no store at all is STORE_UNREADABLE; one that looks like a
 * store but has a malformed line is STORE_TAMPERED (no kmip-console writes such a file).
 */
export function parse(file: Buffer, filePath: string): ParsedFile {
  // A crash or a full disk is the usual reason, not a wrong path: the file is the right one, emptied.
  if (file.length === 0) {
    throw new StoreError('STORE_TAMPERED', `${filePath} is empty: it was damaged (a crash or a full disk while it was written?). Restore it from a backup.`, filePath);
  }
  if (!file.subarray(0, FILE_START.length).equals(FILE_START)) {
    throw new StoreError('STORE_UNREADABLE', `${filePath} is not a kmip-console store or backup file. Check the path.`, filePath);
  }
  const tamperedError = (what: string) =>
    new StoreError(
      'STORE_TAMPERED',
      // Not "recover from the key server": recovery reads this same header, and cannot repair a file.
      `${filePath} was modified outside kmip-console (${what}). Restore it from a backup.`,
      filePath,
    );
  const bodyEnd = file.indexOf(0x0a);
  const macLine = bodyEnd < 0 ? '' : file.subarray(bodyEnd + 1).toString('utf8');
  if (!macLine.startsWith(MAC_PREFIX) || !macLine.endsWith('\n')) throw tamperedError('the file layout is not body line + MAC line');
  const macText = macLine.slice(MAC_PREFIX.length, -1);
  if (!bytes.safeParse(macText).success) throw tamperedError('the MAC line is malformed');
  // The MAC covers these exact bytes, not a re-encoding of them.
  const bodyBytes = file.subarray(0, bodyEnd);
  let json: unknown;
  try {
    json = JSON.parse(bodyBytes.toString('utf8'));
  } catch {
    throw tamperedError('the body is not valid JSON');
  }
  const version = (json as { header?: { formatVersion?: unknown } }).header?.formatVersion;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    throw new StoreError(
      'STORE_TOO_NEW',
      `${filePath} has store format ${version}; this kmip-console reads format ${FORMAT_VERSION}. Use a newer kmip-console.`,
      filePath,
    );
  }
  const result = StoreBodySchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw tamperedError(`invalid field ${issue ? issue.path.join('.') : '?'}`);
  }
  return { body: result.data, bodyBytes, mac: Buffer.from(macText, 'base64') };
}
