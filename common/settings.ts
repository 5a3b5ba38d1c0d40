// The KMIP settings model (PRODUCT.md §2): field descriptors, the persisted shape, defaults, and
// the validation both the renderer and the main process run. Secrets never appear here: a
// secret field is a SecretMarker saying whether the keychain holds a value and when it was saved.
import { z } from 'zod';
import { checkHostName } from './host-name';
import { characterCount, hasInvisibleOrControlChars, isWellFormedText } from './text';
import {
  EXPIRY_WARNING_DAYS,
  FILE_SLOT_IDS,
  FileFormatSchema,
  LoadedFileDetailsSchema,
  type CertificateDetails,
  type FileSlotId,
  type LoadedFileDetails,
} from './pki-types';

export const SETTINGS_SCHEMA_VERSION = 3;

export const PROTOCOL_VERSIONS = ['auto', '1.0', '1.1', '1.2', '1.3', '1.4', '2.0', '2.1'] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

export const SECRET_IDS = [
  'password',
  'clientCertPassword',
  'clientKeyPassword',
  'caCertPassword',
  'serverCertPassword',
  'serverKeyPassword',
] as const;
export type SecretId = (typeof SECRET_IDS)[number];
export const SecretIdSchema = z.enum(SECRET_IDS);

export function filePasswordSecretId(slot: FileSlotId): SecretId {
  return `${slot}Password`;
}

/** The file slot whose password secret `id` is; undefined for the KMIP password. */
export function fileSlotOfSecret(id: SecretId): FileSlotId | undefined {
  return FILE_SLOT_IDS.find((slot) => filePasswordSecretId(slot) === id);
}

/** The field that holds secret `id`: the KMIP Password, or the file slot whose password it is. */
export function fieldOfSecret(id: SecretId): 'password' | FileSlotId {
  return fileSlotOfSecret(id) ?? 'password';
}

/** The certificate slot whose leaf the key loaded in key slot `slot` chooses (Key → Cert, Server Key → Server Cert). */
export const CERT_SLOT_OF_KEY = { clientKey: 'clientCert', serverKey: 'serverCert' } as const satisfies Partial<Record<FileSlotId, FileSlotId>>;

/** Fields with a value typed in the dialog and saved with their own Save button. */
export const SCALAR_FIELD_IDS = [
  'serverName',
  'hostName',
  'port',
  'autoReconnect',
  'verify',
  'protocol',
  'nbio',
  'timeout',
  'username',
  'password',
  'ciphers',
  'description',
  'disableEntropySeed',
  'disableHardwareSignature',
  'noSplitKey',
] as const;
export type ScalarFieldId = (typeof SCALAR_FIELD_IDS)[number];
export const ScalarFieldIdSchema = z.enum(SCALAR_FIELD_IDS);

export type FieldId = ScalarFieldId | FileSlotId;
export const FIELD_IDS: readonly FieldId[] = [...SCALAR_FIELD_IDS, ...FILE_SLOT_IDS];

export type SettingsTab = 'basic' | 'advanced' | 'configuration';
export type AdvancedSubTab = 'cert' | 'key' | 'caCert' | 'serverCert' | 'serverKey' | 'credentials';

export type FieldKind =
  | 'text' // free text
  | 'host' // host name, IPv4 or IPv6
  | 'integer' // whole number in [min, max]
  | 'switch01' // 0 / 1
  | 'yesno' // boolean shown as yes / no
  | 'choice' // one of `choices`
  | 'secret' // write-only, goes to the keychain
  | 'ciphers' // OpenSSL cipher list
  | 'file'; // file slot: File, Format, Password, Load File, Clear

export interface FieldDescriptor {
  id: FieldId;
  label: string;
  tab: SettingsTab;
  subTab?: AdvancedSubTab;
  kind: FieldKind;
  required: boolean;
  /** default value as persisted; undefined for required fields without a default and for files */
  defaultValue?: string | number | boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  choices?: readonly string[];
  unit?: string;
  help: string;
}

export const FIELDS: Readonly<Record<FieldId, FieldDescriptor>> = {
  serverName: {
    id: 'serverName', label: 'Server Name', tab: 'basic', kind: 'text', required: true, maxLength: 64,
    help: 'The name this EKS is shown and stored under (1–64 characters).',
  },
  hostName: {
    id: 'hostName', label: 'Host Name', tab: 'basic', kind: 'host', required: true, maxLength: 253,
    help: 'Where the EKS listens: a host name, an IPv4 address, or an IPv6 address (brackets optional).',
  },
  port: {
    id: 'port', label: 'Port', tab: 'basic', kind: 'integer', required: true, defaultValue: 5696, min: 1, max: 65535,
    help: "TCP port of the EKS; 5696 is KMIP's registered port.",
  },
  autoReconnect: {
    id: 'autoReconnect', label: 'Auto-Reconnect', tab: 'basic', kind: 'switch01', required: true, defaultValue: 1,
    help: '1: re-open a dropped connection transparently and retry idempotent requests once.',
  },
  verify: {
    id: 'verify', label: 'Verify', tab: 'basic', kind: 'yesno', required: true, defaultValue: true,
    help: "Yes: the server's chain must verify against CA Trusted Cert (or system roots) and its name must match Host Name.",
  },
  protocol: {
    id: 'protocol', label: 'Protocol', tab: 'basic', kind: 'choice', required: true, defaultValue: 'auto',
    choices: PROTOCOL_VERSIONS,
    help: 'auto: negotiate the highest common KMIP version; otherwise use exactly that version.',
  },
  nbio: {
    id: 'nbio', label: 'Nbio', tab: 'basic', kind: 'switch01', required: true, defaultValue: 0,
    help: '0: one request in flight per connection; 1: pipeline requests on the connection.',
  },
  timeout: {
    id: 'timeout', label: 'Timeout', tab: 'basic', kind: 'integer', required: true, defaultValue: 30, min: 0, max: 3600,
    unit: 'seconds',
    help: 'Bound on connect + TLS handshake and on each request; 0 means no timeout.',
  },
  clientCert: {
    id: 'clientCert', label: 'Cert', tab: 'advanced', subTab: 'cert', kind: 'file', required: false,
    help: 'Client certificate presented in the TLS handshake (PEM, or P12 that may also carry the key).',
  },
  clientKey: {
    id: 'clientKey', label: 'Key', tab: 'advanced', subTab: 'key', kind: 'file', required: false,
    help: 'Client private key; must match Cert.',
  },
  caCert: {
    id: 'caCert', label: 'CA Trusted Cert', tab: 'advanced', subTab: 'caCert', kind: 'file', required: false,
    help: "The CA certificate(s) the server's chain must lead to when Verify is yes.",
  },
  serverCert: {
    id: 'serverCert', label: 'Server Cert', tab: 'advanced', subTab: 'serverCert', kind: 'file', required: false,
    help: 'When loaded, the connection is refused unless the server presents exactly this certificate.',
  },
  serverKey: {
    id: 'serverKey', label: 'Server Key', tab: 'advanced', subTab: 'serverKey', kind: 'file', required: false,
    help: "The EKS's private key, for a local lab server only; must match Server Cert; never sent anywhere.",
  },
  username: {
    id: 'username', label: 'Username', tab: 'advanced', subTab: 'credentials', kind: 'text', required: false,
    defaultValue: '', maxLength: 255,
    help: 'When set, sent with Password as a KMIP Username-and-Password credential in every request.',
  },
  password: {
    id: 'password', label: 'Password', tab: 'advanced', subTab: 'credentials', kind: 'secret', required: false,
    maxLength: 1024,
    help: 'KMIP password; stored in the OS keychain, never shown again.',
  },
  ciphers: {
    id: 'ciphers', label: 'Ciphers', tab: 'advanced', subTab: 'credentials', kind: 'ciphers', required: false,
    defaultValue: '', maxLength: 2048,
    help: 'OpenSSL cipher list for TLS 1.2 (e.g. ECDHE+AESGCM:!aNULL); TLS 1.3 keeps its default suites unless the list names some (TLS_AES_256_GCM_SHA384…); empty uses the defaults.',
  },
  description: {
    id: 'description', label: 'Description', tab: 'configuration', kind: 'text', required: false, defaultValue: '',
    maxLength: 256,
    help: 'Free text, up to 256 characters.',
  },
  disableEntropySeed: {
    id: 'disableEntropySeed', label: 'Disable Entropy Seed', tab: 'configuration', kind: 'yesno', required: true,
    defaultValue: false,
    help: 'No entropy is requested from the EKS, at Apply or at start.',
  },
  disableHardwareSignature: {
    id: 'disableHardwareSignature', label: 'Disable Hardware Signature', tab: 'configuration', kind: 'yesno',
    required: true, defaultValue: false,
    help: '(planned) Do not bind the local unlock to a signature of this machine.',
  },
  noSplitKey: {
    id: 'noSplitKey', label: 'No Split Key', tab: 'configuration', kind: 'yesno', required: true, defaultValue: false,
    help: '(planned) Do not split the Admin Key into N-of-M key parts for offline custody.',
  },
};

// ---------------------------------------------------------------------------------------------
// Persisted shape

export const SecretMarkerSchema = z.object({
  stored: z.boolean(),
  /** ISO time of the Save that stored it; lets the UI tell a changed secret from an applied one */
  savedAt: z.string().nullable(),
});
export type SecretMarker = z.infer<typeof SecretMarkerSchema>;
export const NO_SECRET: SecretMarker = Object.freeze({ stored: false, savedAt: null });

export const StoredFileSchema = z.object({
  /** name of the copy in <dataDir>/files/ */
  fileName: z.string(),
  format: FileFormatSchema,
  loadedAt: z.string(),
  password: SecretMarkerSchema,
  details: LoadedFileDetailsSchema,
});
export type StoredFile = z.infer<typeof StoredFileSchema>;

/** Persisted text of at most max characters, counted as checkText counts them. */
function textOfAtMost(max: number) {
  return z.string().refine((text) => characterCount(text) <= max, { message: `at most ${max} characters` });
}

const Switch01Schema = z.union([z.literal(0), z.literal(1)]);

export const SettingsSchema = z.object({
  serverName: textOfAtMost(64),
  hostName: z.string().max(255),
  port: z.number().int().min(1).max(65535),
  autoReconnect: Switch01Schema,
  verify: z.boolean(),
  protocol: z.enum(PROTOCOL_VERSIONS),
  nbio: Switch01Schema,
  timeout: z.number().int().min(0).max(3600),
  clientCert: StoredFileSchema.nullable(),
  clientKey: StoredFileSchema.nullable(),
  caCert: StoredFileSchema.nullable(),
  serverCert: StoredFileSchema.nullable(),
  serverKey: StoredFileSchema.nullable(),
  username: textOfAtMost(255),
  password: SecretMarkerSchema,
  ciphers: z.string().max(2048),
  description: textOfAtMost(256),
  disableEntropySeed: z.boolean(),
  disableHardwareSignature: z.boolean(),
  noSplitKey: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Value types of the scalar fields as persisted (password: its marker). */
export type ScalarValue<F extends ScalarFieldId> = Settings[F];

export function defaultSettings(): Settings {
  return {
    serverName: '',
    hostName: '',
    port: 5696,
    autoReconnect: 1,
    verify: true,
    protocol: 'auto',
    nbio: 0,
    timeout: 30,
    clientCert: null,
    clientKey: null,
    caCert: null,
    serverCert: null,
    serverKey: null,
    username: '',
    password: { ...NO_SECRET },
    ciphers: '',
    description: '',
    disableEntropySeed: false,
    disableHardwareSignature: false,
    noSplitKey: false,
  };
}

/** Where a change the window did not make came from, in every message that says so. */
export const ELSEWHERE = 'outside this window (in another window or by a kmip-console command)';

/** An on/off setting's value as the form shows it. */
export function switch01Label(value: 0 | 1): string {
  return value === 1 ? '1 — on' : '0 — off';
}

// ---------------------------------------------------------------------------------------------
// Comparing settings values

/** Objects with their keys sorted: the same value gives the same text, whatever order it was built in. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** JSON text of a settings value with object keys sorted (what comparisons and revisions are made of). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortedKeys);
}

/** A secret's marker as compared: when it was saved counts only while one is stored. */
function comparableMarker(marker: SecretMarker): SecretMarker {
  return marker.stored ? { stored: true, savedAt: marker.savedAt } : { stored: false, savedAt: null };
}

/**
 * Whether two saved values of field `id` are the same (the one comparison of saved settings values: chips,
 * change lists, Apply, Revert, the CLI). A secret compares by its marker: whether one is stored, and when
 * it was saved (a new password reads "stored in keychain" like the old one, yet is another value). A file
 * compares by its whole record: which copy, its format, its password's marker, and what was read from it,
 * so also the certificate chosen as the leaf (a key loaded under Key may choose another one from the same
 * Cert file, and TLS then presents that one). Independent of key order.
 */
export function sameFieldValue<F extends FieldId>(id: F, a: Settings[F], b: Settings[F]): boolean {
  return canonicalJson(comparableFieldValue(id, a)) === canonicalJson(comparableFieldValue(id, b));
}

/** A saved value of field `id` as sameFieldValue compares it (and main's field revisions fingerprint it). */
export function comparableFieldValue<F extends FieldId>(id: F, value: Settings[F]): unknown {
  const kind = FIELDS[id].kind;
  if (kind === 'secret') return comparableMarker(value as SecretMarker);
  if (kind === 'file' && value !== null) {
    const file = value as StoredFile;
    return { ...file, password: comparableMarker(file.password) };
  }
  return value;
}

/**
 * The fields whose value in `settings` is not the one in `base` (null: the defaults, as before the first
 * Apply), compared by sameFieldValue: which pending values are not applied, which on-screen ones not saved.
 */
export function changedFieldIds(settings: Settings, base: Settings | null): FieldId[] {
  const from = base ?? defaultSettings();
  return FIELD_IDS.filter((id) => !sameFieldValue(id, settings[id], from[id]));
}

// ---------------------------------------------------------------------------------------------
// Per-field validation

/** What a field check returns: the normalised value to persist, or a message for the field. */
export type FieldCheck<T> = { ok: true; value: T } | { ok: false; field: FieldId; message: string };

/** Normalised value of a field as validateField returns it (password: the typed secret). */
export type FieldInputValue<F extends ScalarFieldId> = F extends 'password' ? string : Settings[F];

const CIPHER_SEPARATORS = /[:, ]+/;
const CIPHER_ELEMENT = /^[!+-]?@?[A-Za-z0-9_.=+-]+$/;

function fail(field: FieldId, message: string): { ok: false; field: FieldId; message: string } {
  return { ok: false, field, message };
}

function checkText(field: FieldId, value: unknown, opts: { required: boolean; maxLength: number }): FieldCheck<string> {
  const label = FIELDS[field].label;
  if (typeof value !== 'string') return fail(field, `${label} must be text.`);
  const text = value.trim();
  if (text === '' && opts.required) return fail(field, `${label} is required: enter 1 to ${opts.maxLength} characters.`);
  const length = characterCount(text);
  if (length > opts.maxLength) {
    return fail(field, `${label} is ${length} characters long; shorten it to at most ${opts.maxLength}.`);
  }
  if (hasInvisibleOrControlChars(text)) {
    return fail(field, `${label} must not contain line breaks, tabs, other control characters, direction overrides or zero-width characters.`);
  }
  return { ok: true, value: text };
}

function checkInteger(field: FieldId, value: unknown, min: number, max: number, hint: string): FieldCheck<number> {
  const label = FIELDS[field].label;
  const range = `a whole number from ${min} to ${max}${hint}`;
  const rangeMessage = `${label} must be ${range}.`;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) n = Number(value.trim());
  else if (typeof value === 'string' && value.trim() === '') return fail(field, `${label} is required: enter ${range}.`);
  else return fail(field, rangeMessage);
  if (!Number.isInteger(n) || n < min || n > max) return fail(field, rangeMessage);
  return { ok: true, value: n };
}

/** A typed choice without the spaces around it, as the number fields take theirs ("  yes" is yes). */
function trimmed(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

function checkSwitch01(field: FieldId, raw: unknown): FieldCheck<0 | 1> {
  const value = trimmed(raw);
  if (value === 0 || value === '0' || value === false) return { ok: true, value: 0 };
  if (value === 1 || value === '1' || value === true) return { ok: true, value: 1 };
  return fail(field, `${FIELDS[field].label} must be 0 or 1.`);
}

function checkYesNo(field: FieldId, raw: unknown): FieldCheck<boolean> {
  const value = trimmed(raw);
  if (value === true || value === 'yes') return { ok: true, value: true };
  if (value === false || value === 'no') return { ok: true, value: false };
  return fail(field, `${FIELDS[field].label} must be yes or no.`);
}

export function checkCiphers(value: unknown): FieldCheck<string> {
  if (typeof value !== 'string') return fail('ciphers', 'Ciphers must be text: an OpenSSL cipher list such as ECDHE+AESGCM:!aNULL.');
  const text = value.trim();
  if (text.length > 2048) return fail('ciphers', `Ciphers is ${text.length} characters long; shorten it to at most 2048.`);
  if (text === '') return { ok: true, value: '' };
  for (const element of text.split(CIPHER_SEPARATORS)) {
    if (element === '') continue;
    if (!CIPHER_ELEMENT.test(element)) {
      return fail(
        'ciphers',
        `Ciphers element "${element}" is not an OpenSSL cipher name: use names such as ECDHE-RSA-AES256-GCM-SHA384 or ` +
          'TLS_AES_256_GCM_SHA384, separated by ":" (prefix "!" to exclude), or leave it empty for the defaults.',
      );
    }
  }
  return { ok: true, value: text };
}

export function checkSecretValue(field: FieldId, value: unknown): FieldCheck<string> {
  const label = field === 'password' ? 'Password' : `${FIELDS[field].label} password`;
  if (typeof value !== 'string') return fail(field, `${label} must be text.`);
  if (value === '') return fail(field, `${label} is empty: type the password, or use Clear to remove the stored one.`);
  if (value.length > 1024) return fail(field, `${label} is longer than 1024 characters; check what was pasted.`);
  if (value.includes('\u0000')) return fail(field, `${label} must not contain a NUL character.`);
  if (!isWellFormedText(value)) return fail(field, `${label} holds a broken character (half of a UTF-16 pair): type or paste it again.`);
  return { ok: true, value };
}

/**
 * Validates one field as typed in the dialog. Accepts the loose forms a form produces (numbers as
 * strings, "yes"/"no") and returns the normalised value that Save persists.
 */
export function validateField<F extends ScalarFieldId>(id: F, value: unknown): FieldCheck<FieldInputValue<F>>;
export function validateField(id: ScalarFieldId, value: unknown): FieldCheck<FieldInputValue<ScalarFieldId>> {
  switch (id) {
    case 'serverName':
      return checkText(id, value, { required: true, maxLength: 64 });
    case 'hostName': {
      if (typeof value !== 'string') return fail(id, 'Host Name must be text.');
      const host = checkHostName(value);
      return host.ok ? { ok: true, value: host.normalized } : fail(id, host.message);
    }
    case 'port':
      return checkInteger(id, value, 1, 65535, " (KMIP's registered port is 5696)");
    case 'timeout':
      return checkInteger(id, value, 0, 3600, ' seconds (0 means no timeout)');
    case 'autoReconnect':
    case 'nbio':
      return checkSwitch01(id, value);
    case 'verify':
    case 'disableEntropySeed':
    case 'disableHardwareSignature':
    case 'noSplitKey':
      return checkYesNo(id, value);
    case 'protocol': {
      const choice = trimmed(value);
      if (typeof choice === 'string' && (PROTOCOL_VERSIONS as readonly string[]).includes(choice)) {
        return { ok: true, value: choice as ProtocolVersion };
      }
      return fail(id, `Protocol must be one of ${PROTOCOL_VERSIONS.join(', ')}.`);
    }
    case 'username': {
      const text = checkText(id, value, { required: false, maxLength: 255 });
      if (text.ok && typeof value === 'string' && value !== value.trim()) {
        return fail(id, 'Username starts or ends with a space: remove it (KMIP servers compare user names exactly).');
      }
      return text;
    }
    case 'password':
      return checkSecretValue(id, value);
    case 'ciphers':
      return checkCiphers(value);
    case 'description':
      return checkText(id, value, { required: false, maxLength: 256 });
  }
}

// ---------------------------------------------------------------------------------------------
// Cross-field rules checked before Apply (and before Test). Rules that need Node (the cipher
// list accepted by OpenSSL, the stored files still readable) are in main/settings.

export interface SettingsIssue {
  field: FieldId;
  code: string;
  message: string;
}

export interface ApplyCheck {
  ok: boolean;
  errors: SettingsIssue[];
  warnings: SettingsIssue[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function slotLabel(slot: FileSlotId): string {
  return `${FIELDS[slot].label} (Advanced › ${FIELDS[slot].label})`;
}

function leafOf(file: StoredFile | null): CertificateDetails | undefined {
  return file?.details.certificates[0];
}

function checkValidity(
  slot: FileSlotId,
  cert: CertificateDetails,
  now: Date,
  severity: { expired: 'error' | 'warning' },
  out: ApplyCheck,
): void {
  const notAfter = Date.parse(cert.notAfter);
  const notBefore = Date.parse(cert.notBefore);
  const who = `${slotLabel(slot)} "${cert.subject}"`;
  if (now.getTime() > notAfter) {
    const issue = {
      field: slot,
      code: 'CERT_EXPIRED',
      message: `${who} expired on ${cert.notAfter.slice(0, 10)}: load a renewed certificate.`,
    };
    (severity.expired === 'error' ? out.errors : out.warnings).push(issue);
  } else if (now.getTime() < notBefore) {
    out.errors.push({
      field: slot,
      code: 'CERT_NOT_YET_VALID',
      message: `${who} is not valid before ${cert.notBefore}: check this computer's clock, or load a certificate that is valid now.`,
    });
  } else if (notAfter - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
    const days = Math.max(0, Math.floor((notAfter - now.getTime()) / DAY_MS));
    out.warnings.push({
      field: slot,
      code: 'CERT_EXPIRES_SOON',
      message: `${who} expires in ${days} day(s), on ${cert.notAfter.slice(0, 10)}: renew it before then.`,
    });
  }
}

function checkFilePassword(slot: FileSlotId, file: StoredFile, out: ApplyCheck): void {
  if (file.details.encrypted && !file.password.stored) {
    out.errors.push({
      field: slot,
      code: 'FILE_PASSWORD_MISSING',
      message: `${slotLabel(slot)} is password protected but its password is not stored: load the file again with its password.`,
    });
  }
}

/** The client private key: from the Key slot, or else carried by a P12 in the Cert slot. */
function clientKeyOf(settings: Settings): LoadedFileDetails['privateKey'] {
  return settings.clientKey?.details.privateKey ?? settings.clientCert?.details.privateKey ?? null;
}

/** The warning for Verify = no (null when Verify is on): Save, Apply and status all show it. */
export function verifyOffWarning(settings: Pick<Settings, 'verify' | 'serverCert'>): SettingsIssue | null {
  if (settings.verify) return null;
  return {
    field: 'verify',
    code: 'VERIFY_OFF',
    message: settings.serverCert
      ? 'Verify is off: the chain and host name are not checked, but the Server Cert pin still is.'
      : "Verify is off: the server's certificate and host name are not checked, so anyone on the network path can impersonate the EKS. Turn Verify on, or pin the Server Cert.",
  };
}

export function validateForApply(settings: Settings, now: Date = new Date()): ApplyCheck {
  const out: ApplyCheck = { ok: false, errors: [], warnings: [] };

  for (const id of SCALAR_FIELD_IDS) {
    if (id === 'password') continue;
    const check = validateField(id, settings[id]);
    if (!check.ok) out.errors.push({ field: id, code: 'INVALID_VALUE', message: check.message });
  }

  for (const slot of FILE_SLOT_IDS) {
    const file = settings[slot];
    if (file) checkFilePassword(slot, file, out);
  }

  // Client identity: certificate and key come as a pair.
  const clientCert = leafOf(settings.clientCert);
  const clientKey = clientKeyOf(settings);
  if (settings.clientCert && !clientCert) {
    out.errors.push({ field: 'clientCert', code: 'NO_CERTIFICATE', message: `${slotLabel('clientCert')} holds no certificate: load the client certificate file.` });
  }
  if (clientCert && !clientKey) {
    out.errors.push({
      field: 'clientKey',
      code: 'CLIENT_KEY_MISSING',
      message: `${slotLabel('clientCert')} is loaded without its private key: load the key in Advanced › Key (or a P12 that carries both).`,
    });
  }
  if (settings.clientKey && !settings.clientCert) {
    out.errors.push({
      field: 'clientCert',
      code: 'CLIENT_CERT_MISSING',
      message: `${slotLabel('clientKey')} is loaded without a certificate: load the matching certificate in Advanced › Cert, or clear the key.`,
    });
  }
  if (clientCert && clientKey && clientCert.publicKeySha256 !== clientKey.publicKeySha256) {
    out.errors.push({
      field: 'clientKey',
      code: 'KEY_MISMATCH',
      message: `The client key does not belong to ${slotLabel('clientCert')} "${clientCert.subject}": load the key that was issued with this certificate.`,
    });
  }
  if (clientCert) {
    checkValidity('clientCert', clientCert, now, { expired: 'error' }, out);
    const eku = clientCert.extendedKeyUsage;
    if (eku !== null && !eku.includes('clientAuth') && !eku.includes('1.3.6.1.5.5.7.3.2')) {
      out.warnings.push({
        field: 'clientCert',
        code: 'NO_CLIENT_AUTH_EKU',
        message: `${slotLabel('clientCert')} lacks the clientAuth extended key usage: many servers will refuse it; ask your CA for a TLS client certificate.`,
      });
    }
  }

  // Server pin and the lab server's key.
  const serverCert = leafOf(settings.serverCert);
  const serverKey = settings.serverKey?.details.privateKey ?? settings.serverCert?.details.privateKey ?? null;
  if (settings.serverKey && !serverCert) {
    out.errors.push({
      field: 'serverCert',
      code: 'SERVER_CERT_MISSING',
      message: `${slotLabel('serverKey')} is loaded without a Server Cert: load the matching server certificate, or clear the key.`,
    });
  }
  if (serverCert && settings.serverKey && serverKey && serverCert.publicKeySha256 !== serverKey.publicKeySha256) {
    out.errors.push({
      field: 'serverKey',
      code: 'KEY_MISMATCH',
      message: `${slotLabel('serverKey')} does not belong to ${slotLabel('serverCert')} "${serverCert.subject}": load the matching key.`,
    });
  }
  if (serverCert) checkValidity('serverCert', serverCert, now, { expired: 'warning' }, out);

  for (const cert of settings.caCert?.details.certificates ?? []) {
    checkValidity('caCert', cert, now, { expired: 'warning' }, out);
  }

  const verifyOff = verifyOffWarning(settings);
  if (verifyOff) out.warnings.push(verifyOff);

  if (settings.password.stored && settings.username === '') {
    out.errors.push({
      field: 'username',
      code: 'USERNAME_MISSING',
      message: 'A Password is stored but Username is empty: enter the Username, or clear the Password.',
    });
  }
  if (settings.username !== '' && !settings.password.stored) {
    out.warnings.push({
      field: 'password',
      code: 'PASSWORD_MISSING',
      message: 'Username is set without a Password: the credential is sent without one; save the Password if the server expects it.',
    });
  }

  out.ok = out.errors.length === 0;
  return out;
}

/**
 * Settings as they are on screen for Test: `base` (the pending settings) with the dialog's
 * unsaved values laid over it. Values that fail validation are reported and left at base.
 */
export function withDraftValues(
  base: Settings,
  draft: Partial<Record<Exclude<ScalarFieldId, 'password'>, unknown>>,
): { settings: Settings; issues: SettingsIssue[] } {
  const settings: Settings = { ...base };
  const issues: SettingsIssue[] = [];
  for (const id of SCALAR_FIELD_IDS) {
    if (id === 'password' || !(id in draft)) continue;
    const check = validateField(id, draft[id]);
    if (check.ok) (settings as Record<ScalarFieldId, unknown>)[id] = check.value;
    else issues.push({ field: id, code: 'INVALID_VALUE', message: check.message });
  }
  return { settings, issues };
}
