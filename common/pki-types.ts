// What the app shows about a loaded certificate or key file. Produced by main/pki, stored in the
// settings file next to the slot, and sent to the renderer: it never contains key material.
import { z } from 'zod';

export const FILE_SLOT_IDS = ['clientCert', 'clientKey', 'caCert', 'serverCert', 'serverKey'] as const;
export type FileSlotId = (typeof FILE_SLOT_IDS)[number];
export const FileSlotIdSchema = z.enum(FILE_SLOT_IDS);

export const FILE_FORMATS = ['pem', 'p12'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
export const FileFormatSchema = z.enum(FILE_FORMATS);

/** Largest file Load File accepts (certificate bundles are a few KiB; this stops accidents). */
export const MAX_CREDENTIAL_FILE_BYTES = 1024 * 1024;

/** Days before notAfter from which a certificate draws a warning. */
export const EXPIRY_WARNING_DAYS = 30;

export const KeyDetailsSchema = z.object({
  /** 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | … as Node names it */
  type: z.string(),
  sizeBits: z.number().int().nullable(),
  /** named curve for EC keys */
  curve: z.string().nullable(),
});
export type KeyDetails = z.infer<typeof KeyDetailsSchema>;

export const CertificateDetailsSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  /** ISO 8601 */
  notBefore: z.string(),
  notAfter: z.string(),
  /** colon-separated upper-case hex, as browsers and openssl show it */
  sha256Fingerprint: z.string(),
  publicKey: KeyDetailsSchema,
  /** SHA-256 of the DER SubjectPublicKeyInfo: equal for a certificate and its private key */
  publicKeySha256: z.string(),
  /** OIDs or names (serverAuth, clientAuth, …); null when the extension is absent (any usage) */
  extendedKeyUsage: z.array(z.string()).nullable(),
  subjectAltName: z.string().nullable(),
  isCa: z.boolean(),
  selfSigned: z.boolean(),
});
export type CertificateDetails = z.infer<typeof CertificateDetailsSchema>;

export const PrivateKeyDetailsSchema = KeyDetailsSchema.extend({
  publicKeySha256: z.string(),
});
export type PrivateKeyDetails = z.infer<typeof PrivateKeyDetailsSchema>;

export const FileIssueSchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type FileIssue = z.infer<typeof FileIssueSchema>;

export const LoadedFileDetailsSchema = z.object({
  slot: FileSlotIdSchema,
  format: FileFormatSchema,
  /** base name of the file the user picked (shown, never used to read again) */
  sourceName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** the file (or its key) is password protected */
  encrypted: z.boolean(),
  /** leaf first for client/server certificates; every certificate of a CA bundle */
  certificates: z.array(CertificateDetailsSchema),
  privateKey: PrivateKeyDetailsSchema.nullable(),
  /** loaded, but the user should know (expires soon, no clientAuth EKU, key of a P12 present, …) */
  warnings: z.array(FileIssueSchema),
});
export type LoadedFileDetails = z.infer<typeof LoadedFileDetailsSchema>;
