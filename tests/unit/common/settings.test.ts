import { describe, expect, it } from 'vitest';
import { EXPIRY_WARNING_DAYS } from '../../../common/pki-types';
import {
  FIELDS,
  FIELD_IDS,
  PROTOCOL_VERSIONS,
  SCALAR_FIELD_IDS,
  SettingsSchema,
  changedFieldIds,
  defaultSettings,
  sameFieldValue,
  validateField,
  validateForApply,
  withDraftValues,
  type FieldCheck,
  type ScalarFieldId,
} from '../../../common/settings';
import { cert, privateKey, stored, validSettings } from './fixtures';

const DAY = 86_400_000;

function message(check: FieldCheck<unknown>): string {
  if (check.ok) throw new Error(`expected a failure, got ${JSON.stringify(check.value)}`);
  return check.message;
}

describe('field descriptors and defaults', () => {
  it('describe every field of PRODUCT.md §2 on its tab', () => {
    expect(FIELD_IDS).toHaveLength(20);
    for (const id of FIELD_IDS) expect(FIELDS[id].id).toBe(id);
    expect(SCALAR_FIELD_IDS.filter((id) => FIELDS[id].tab === 'basic')).toEqual([
      'serverName', 'hostName', 'port', 'autoReconnect', 'verify', 'protocol', 'nbio', 'timeout',
    ]);
    expect(FIELD_IDS.filter((id) => FIELDS[id].subTab === 'credentials')).toEqual(['username', 'password', 'ciphers']);
    expect(FIELD_IDS.filter((id) => FIELDS[id].tab === 'configuration')).toEqual([
      'description', 'disableEntropySeed', 'disableHardwareSignature', 'noSplitKey',
    ]);
  });

  it('default to the values of the spec, and the defaults validate field by field', () => {
    const defaults = defaultSettings();
    expect(defaults).toMatchObject({ port: 5696, autoReconnect: 1, verify: true, protocol: 'auto', nbio: 0, timeout: 30 });
    expect(defaults.password).toEqual({ stored: false, savedAt: null });
    expect(SettingsSchema.parse(defaults)).toEqual(defaults);
    // What validateField takes must load again: the file's schema counts characters the same way.
    const longest = { ...defaults, serverName: '🔐'.repeat(64), username: 'ü'.repeat(255), description: '📝'.repeat(256) };
    expect(SettingsSchema.parse(longest)).toEqual(longest);
    expect(SettingsSchema.safeParse({ ...defaults, description: '📝'.repeat(257) }).success).toBe(false);
    for (const id of SCALAR_FIELD_IDS) {
      const descriptor = FIELDS[id];
      if (descriptor.defaultValue !== undefined) expect(defaults[id]).toEqual(descriptor.defaultValue);
      if (id !== 'password' && !descriptor.required) expect(validateField(id, defaults[id]).ok).toBe(true);
    }
  });
});

describe('validateField', () => {
  it('Server Name: required, 1–64 characters, no control characters; trimmed', () => {
    expect(validateField('serverName', '  EKS 1 ')).toEqual({ ok: true, value: 'EKS 1' });
    expect(validateField('serverName', 'x'.repeat(64)).ok).toBe(true);
    expect(message(validateField('serverName', ''))).toBe('Server Name is required: enter 1 to 64 characters.');
    expect(message(validateField('serverName', 'x'.repeat(65)))).toMatch(/65 characters long; shorten it to at most 64/);
    expect(message(validateField('serverName', 'a\nb'))).toMatch(/line breaks/);
    // Characters as a person counts them: an emoji is one, not the two UTF-16 units of String.length.
    expect(validateField('serverName', '🔐'.repeat(64)).ok).toBe(true);
    expect(message(validateField('serverName', '🔐'.repeat(65)))).toMatch(/65 characters long; shorten it to at most 64/);
    // C1 controls, line separators, direction overrides and zero-width characters hide or reorder what is shown.
    for (const hidden of ['a\u0085b', 'a\u2028b', 'lab\u202eXEN', 'eks\u200b1', 'ek\ufeffs']) {
      expect(message(validateField('serverName', hidden))).toMatch(/direction overrides or zero-width characters/);
    }
    expect(validateField('serverName', 'Schlüssel-EKS 🔐').ok).toBe(true);
    expect(message(validateField('serverName', 5))).toMatch(/must be text/);
  });

  it('Host Name: normalised, with the host-name checker messages', () => {
    expect(validateField('hostName', '[::1]')).toEqual({ ok: true, value: '::1' });
    expect(message(validateField('hostName', 'kms:5696'))).toMatch(/Port field/);
    expect(message(validateField('hostName', 42))).toMatch(/must be text/);
  });

  it.each([
    ['5696', 5696], [5696, 5696], [' 1 ', 1], ['65535', 65535],
  ])('Port accepts %j', (input, value) => {
    expect(validateField('port', input)).toEqual({ ok: true, value });
  });

  it.each([0, 65536, -1, 1.5, '12a', 'abc', '1e3', true, null])('Port refuses %j, naming the range and 5696', (input) => {
    expect(message(validateField('port', input))).toBe("Port must be a whole number from 1 to 65535 (KMIP's registered port is 5696).");
  });

  it('Port: empty is "required"', () => {
    expect(message(validateField('port', ''))).toMatch(/^Port is required: enter a whole number from 1 to 65535/);
  });

  it('Timeout: 0–3600 seconds, 0 allowed', () => {
    expect(validateField('timeout', '0')).toEqual({ ok: true, value: 0 });
    expect(validateField('timeout', 3600)).toEqual({ ok: true, value: 3600 });
    expect(message(validateField('timeout', 3601))).toBe('Timeout must be a whole number from 0 to 3600 seconds (0 means no timeout).');
    expect(message(validateField('timeout', -1))).toMatch(/0 means no timeout/);
  });

  it.each(['autoReconnect', 'nbio'] as const)('%s is 0 or 1', (id) => {
    for (const [input, value] of [[0, 0], ['0', 0], [false, 0], [1, 1], ['1', 1], [' 1', 1], [true, 1]] as const) {
      expect(validateField(id, input)).toEqual({ ok: true, value });
    }
    for (const input of [2, '2', 'yes', '', null]) expect(message(validateField(id, input))).toBe(`${FIELDS[id].label} must be 0 or 1.`);
  });

  it.each(['verify', 'disableEntropySeed', 'disableHardwareSignature', 'noSplitKey'] as const)('%s is yes or no', (id) => {
    expect(validateField(id, 'yes')).toEqual({ ok: true, value: true });
    expect(validateField(id, ' no ')).toEqual({ ok: true, value: false }); // spaces around, as Port and Timeout take them
    expect(validateField(id, false)).toEqual({ ok: true, value: false });
    for (const input of [1, 'true', '', null]) expect(message(validateField(id, input))).toBe(`${FIELDS[id].label} must be yes or no.`);
  });

  it('Protocol is one of the listed versions', () => {
    for (const version of PROTOCOL_VERSIONS) expect(validateField('protocol', version)).toEqual({ ok: true, value: version });
    expect(message(validateField('protocol', '3.0'))).toBe('Protocol must be one of auto, 1.0, 1.1, 1.2, 1.3, 1.4, 2.0, 2.1.');
    expect(validateField('protocol', 1.2).ok).toBe(false);
    expect(validateField('protocol', ' 2.0 ')).toEqual({ ok: true, value: '2.0' });
  });

  it('Username: optional, at most 255, no surrounding spaces', () => {
    expect(validateField('username', '')).toEqual({ ok: true, value: '' });
    expect(validateField('username', 'admin')).toEqual({ ok: true, value: 'admin' });
    expect(message(validateField('username', ' admin'))).toMatch(/starts or ends with a space/);
    expect(message(validateField('username', 'u'.repeat(256)))).toMatch(/at most 255/);
    expect(message(validateField('username', 'a\tb'))).toMatch(/control characters/);
  });

  it('Password: kept exactly as typed; empty, too long or NUL refused without echoing it', () => {
    expect(validateField('password', ' pa ss ')).toEqual({ ok: true, value: ' pa ss ' });
    expect(message(validateField('password', ''))).toMatch(/Password is empty: type the password, or use Clear/);
    const long = 'S'.repeat(1025);
    expect(message(validateField('password', long))).not.toContain(long);
    expect(message(validateField('password', 'a\u0000b'))).toMatch(/NUL/);
    // Half of a UTF-16 pair has no UTF-8 form: sent, it would be U+FFFD, another password than the one typed.
    expect(message(validateField('password', 'pa\ud800ss'))).toBe('Password holds a broken character (half of a UTF-16 pair): type or paste it again.');
    expect(validateField('password', 'pa😀ss').ok).toBe(true);
    expect(message(validateField('password', 12))).toMatch(/must be text/);
  });

  it('Ciphers: empty for defaults, OpenSSL list syntax, bad elements named', () => {
    for (const list of ['', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE+AESGCM:!aNULL:!MD5', 'HIGH,!aNULL', 'DEFAULT:@SECLEVEL=2', 'TLS_AES_256_GCM_SHA384:-RSA']) {
      expect(validateField('ciphers', list).ok).toBe(true);
    }
    expect(message(validateField('ciphers', 'AES;rm -rf'))).toMatch(/element "AES;rm" is not an OpenSSL cipher name/);
    expect(message(validateField('ciphers', 'x'.repeat(2049)))).toMatch(/at most 2048/);
  });

  it('Description: up to 256 characters', () => {
    expect(validateField('description', 'd'.repeat(256)).ok).toBe(true);
    expect(message(validateField('description', 'd'.repeat(257)))).toMatch(/257 characters long; shorten it to at most 256/);
  });

  it('every message names its field', () => {
    for (const id of SCALAR_FIELD_IDS) {
      const check = validateField(id as ScalarFieldId, { not: 'a value' });
      expect(message(check)).toContain(FIELDS[id].label);
      if (!check.ok) expect(check.field).toBe(id);
    }
  });
});

describe('validateForApply', () => {
  const codes = (list: { code: string }[]) => list.map((issue) => issue.code);

  it('passes complete valid settings', () => {
    expect(validateForApply(validSettings())).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('requires Server Name and Host Name', () => {
    const result = validateForApply(defaultSettings());
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.field)).toEqual(['serverName', 'hostName']);
  });

  it('re-validates stored values (a hand-edited file)', () => {
    const result = validateForApply(validSettings({ port: 70000 }));
    expect(result.errors).toEqual([expect.objectContaining({ field: 'port', code: 'INVALID_VALUE' })]);
  });

  it('requires a key with a client certificate, and a certificate with a key', () => {
    expect(validateForApply(validSettings({ clientKey: null })).errors).toEqual([expect.objectContaining({ field: 'clientKey', code: 'CLIENT_KEY_MISSING' })]);
    expect(validateForApply(validSettings({ clientCert: null })).errors).toEqual([expect.objectContaining({ field: 'clientCert', code: 'CLIENT_CERT_MISSING' })]);
  });

  it('accepts a P12 in Cert that carries the key', () => {
    const p12 = stored('clientCert', { certificates: [cert()], privateKey: privateKey() });
    expect(validateForApply(validSettings({ clientCert: p12, clientKey: null })).ok).toBe(true);
  });

  it('refuses a key that does not match the certificate', () => {
    const result = validateForApply(validSettings({ clientKey: stored('clientKey', { privateKey: privateKey('key-2') }) }));
    expect(result.errors).toEqual([expect.objectContaining({ field: 'clientKey', code: 'KEY_MISMATCH', message: expect.stringMatching(/does not belong/) })]);
  });

  it('refuses an expired or not-yet-valid client certificate, warns within 30 days', () => {
    const now = Date.now();
    const expired = validSettings({ clientCert: stored('clientCert', { certificates: [cert({ notAfter: new Date(now - DAY).toISOString() })] }) });
    expect(codes(validateForApply(expired).errors)).toEqual(['CERT_EXPIRED']);
    const future = validSettings({ clientCert: stored('clientCert', { certificates: [cert({ notBefore: new Date(now + DAY).toISOString() })] }) });
    expect(codes(validateForApply(future).errors)).toEqual(['CERT_NOT_YET_VALID']);
    const soon = validSettings({ clientCert: stored('clientCert', { certificates: [cert({ notAfter: new Date(now + (EXPIRY_WARNING_DAYS - 1) * DAY).toISOString() })] }) });
    const result = validateForApply(soon, new Date(now));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'CERT_EXPIRES_SOON', message: expect.stringMatching(/expires in 29 day/) })]);
  });

  it('warns when clientAuth is missing from the EKU', () => {
    const noAuth = validSettings({ clientCert: stored('clientCert', { certificates: [cert({ extendedKeyUsage: ['serverAuth'] })] }) });
    expect(codes(validateForApply(noAuth).warnings)).toEqual(['NO_CLIENT_AUTH_EKU']);
    const noEku = validSettings({ clientCert: stored('clientCert', { certificates: [cert({ extendedKeyUsage: null })] }) });
    expect(validateForApply(noEku).warnings).toEqual([]);
  });

  it('requires a Server Cert with a Server Key, matching it; an expired pin only warns', () => {
    expect(codes(validateForApply(validSettings({ serverKey: stored('serverKey', { privateKey: privateKey('s') }) })).errors)).toEqual(['SERVER_CERT_MISSING']);
    const serverCert = stored('serverCert', { certificates: [cert({ publicKeySha256: 's', notAfter: new Date(Date.now() - DAY).toISOString() })] });
    const mismatched = validSettings({ serverCert, serverKey: stored('serverKey', { privateKey: privateKey('t') }) });
    expect(codes(validateForApply(mismatched).errors)).toEqual(['KEY_MISMATCH']);
    expect(codes(validateForApply(validSettings({ serverCert })).warnings)).toEqual(['CERT_EXPIRED']);
  });

  it('warns about expired CA certificates', () => {
    const caCert = stored('caCert', { certificates: [cert({ isCa: true }), cert({ isCa: true, notAfter: new Date(Date.now() - DAY).toISOString() })] });
    expect(codes(validateForApply(validSettings({ caCert })).warnings)).toEqual(['CERT_EXPIRED']);
  });

  it('requires the password of an encrypted file to be stored', () => {
    const encrypted = stored('clientKey', { privateKey: privateKey(), encrypted: true }, false);
    expect(validateForApply(validSettings({ clientKey: encrypted })).errors).toEqual([
      expect.objectContaining({ field: 'clientKey', code: 'FILE_PASSWORD_MISSING', message: expect.stringMatching(/load the file again with its password/) }),
    ]);
    const withPassword = stored('clientKey', { privateKey: privateKey(), encrypted: true }, true);
    expect(validateForApply(validSettings({ clientKey: withPassword })).ok).toBe(true);
  });

  it('warns when Verify is off, mentioning the pin when there is one', () => {
    expect(validateForApply(validSettings({ verify: false })).warnings).toEqual([expect.objectContaining({ code: 'VERIFY_OFF', message: expect.stringMatching(/impersonate/) })]);
    const pinned = validateForApply(validSettings({ verify: false, serverCert: stored('serverCert', { certificates: [cert()] }) }));
    expect(pinned.warnings).toEqual([expect.objectContaining({ code: 'VERIFY_OFF', message: expect.stringMatching(/pin still is/) })]);
  });

  it('needs a Username with a stored Password; warns about a Username without one', () => {
    const stored = { stored: true, savedAt: new Date().toISOString() };
    expect(codes(validateForApply(validSettings({ password: stored })).errors)).toEqual(['USERNAME_MISSING']);
    expect(codes(validateForApply(validSettings({ username: 'admin' })).warnings)).toEqual(['PASSWORD_MISSING']);
    expect(validateForApply(validSettings({ username: 'admin', password: stored }))).toMatchObject({ ok: true, warnings: [] });
  });
});

describe('withDraftValues', () => {
  it('lays valid on-screen values over the pending settings and reports the invalid ones', () => {
    const base = validSettings();
    const { settings, issues } = withDraftValues(base, { port: '15696', hostName: '[::1]', timeout: 'soon', verify: 'no' });
    expect(settings).toMatchObject({ port: 15696, hostName: '::1', timeout: base.timeout, verify: false });
    expect(issues).toEqual([expect.objectContaining({ field: 'timeout', code: 'INVALID_VALUE' })]);
    expect(base.port).toBe(5696);
  });
});

describe('sameFieldValue and changedFieldIds', () => {
  it('compare a file by its whole record: the chosen certificate counts, the key order does not', () => {
    const server = cert({ subject: 'CN=localhost', publicKeySha256: 'key-server' });
    const client = cert({ subject: 'CN=transport-client', publicKeySha256: 'key-client' });
    const applied = stored('clientCert', { certificates: [server, client] });
    // The same copy, loaded at the same time, but a key loaded under Key chose the other leaf.
    const rePicked = { ...applied, details: { ...applied.details, certificates: [client, server] } };
    expect(sameFieldValue('clientCert', applied, rePicked)).toBe(false);
    const reordered = Object.fromEntries(Object.entries(applied).reverse()) as typeof applied;
    expect(sameFieldValue('clientCert', applied, reordered)).toBe(true);
    expect(sameFieldValue('clientCert', applied, null)).toBe(false);
    expect(sameFieldValue('clientCert', null, null)).toBe(true);
    const settings = validSettings({ clientCert: applied });
    expect(changedFieldIds({ ...settings, clientCert: rePicked }, settings)).toEqual(['clientCert']);
    expect(changedFieldIds({ ...settings, clientCert: reordered }, settings)).toEqual([]);
  });

  it('compare a secret by its marker: the save time counts only while one is stored', () => {
    expect(sameFieldValue('password', { stored: true, savedAt: 'a' }, { stored: true, savedAt: 'b' })).toBe(false);
    expect(sameFieldValue('password', { stored: true, savedAt: 'a' }, { savedAt: 'a', stored: true })).toBe(true);
    expect(sameFieldValue('password', { stored: false, savedAt: 'a' }, { stored: false, savedAt: null })).toBe(true);
  });

  it('compare saved scalars exactly, and against the defaults when nothing is applied', () => {
    expect(sameFieldValue('port', 5696, 5696)).toBe(true);
    expect(sameFieldValue('serverName', 'lab', 'lab ')).toBe(false);
    expect(changedFieldIds({ ...defaultSettings(), port: 5697 }, null)).toEqual(['port']);
  });
});
