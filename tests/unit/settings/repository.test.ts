import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../common/app-error';
import { MAX_CREDENTIAL_FILE_BYTES } from '../../../common/pki-types';
import { SCALAR_FIELD_IDS, defaultSettings, type ScalarFieldId } from '../../../common/settings';
import { certificateDetails } from '../../../main/pki';
import { SettingsRepository, filesDir, settingsFilePath, type ImportedFile, type SecretSwitchPausePoint, type SettingsImport } from '../../../main/settings';
import { credentialFileName, storeCredentialFile } from '../../../main/settings/credential-files';
import { scratchDir } from '../../support/scratch-dirs';
import { pkiPassword, pkiPath, testPkiDir } from '../pki/test-pki';
import { MemorySecretStore } from './memory-secret-store';

let dataDir: string;
let secrets: MemorySecretStore;
let repo: SettingsRepository;
const logLines: string[] = [];

beforeAll(() => {
  testPkiDir();
}, 120_000);

beforeEach(() => {
  dataDir = scratchDir('kmip-settings-');
  secrets = new MemorySecretStore();
  logLines.length = 0;
  repo = new SettingsRepository({ dataDir, secrets, profile: 'lab', log: (line) => logLines.push(line) });
});

/** A Cert file with another client's certificate first, then the CA, then client.pem (the one client.key belongs to). */
function twoClientsBytes(): Buffer {
  return Buffer.concat(['client2.pem', 'ca.pem', 'client.pem'].map((name) => readFileSync(pkiPath(name))));
}

/** two-clients.pem in the scratch folder above the data folder */
function twoClientsPem(): string {
  const twoClients = path.join(dataDir, '..', 'two-clients.pem');
  writeFileSync(twoClients, twoClientsBytes());
  return twoClients;
}

/** The subject of a test certificate, as the loaded file's details show it. */
function readSubject(name: string): string {
  return certificateDetails(new X509Certificate(readFileSync(pkiPath(name)))).subject;
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the operation to fail');
  return error as AppError;
}

/** Everything that persists: the settings file, the stored copies, the keychain entries. */
function snapshot(): { file: string | null; files: string[]; keychain: [string, string][] } {
  const file = existsSync(settingsFilePath(dataDir)) ? readFileSync(settingsFilePath(dataDir), 'utf8') : null;
  const files = existsSync(filesDir(dataDir)) ? readdirSync(filesDir(dataDir)).sort() : [];
  return { file, files, keychain: [...secrets.entries].sort() };
}

async function makeValid(): Promise<void> {
  await repo.saveField('serverName', 'Lab EKS');
  await repo.saveField('hostName', '127.0.0.1');
  await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pkiPath('client.pem') });
  await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client-encrypted.key'), password: pkiPassword() });
  await repo.loadFile({ slot: 'caCert', format: 'pem', path: pkiPath('ca.pem') });
}

describe('Save', () => {
  it('starts from the defaults, with nothing applied', async () => {
    expect(await repo.view()).toEqual({ pending: defaultSettings(), applied: null, dataDir, settingsRevision: expect.any(String), fieldRevisions: expect.any(Object) });
    expect(existsSync(settingsFilePath(dataDir))).toBe(false);
  });

  it('persists a valid field, normalised, into the pending settings only', async () => {
    await repo.saveField('port', '15696');
    await repo.saveField('hostName', '[::1]');
    const reopened = new SettingsRepository({ dataDir, secrets, profile: 'lab' });
    const view = await reopened.view();
    expect(view.pending).toMatchObject({ port: 15696, hostName: '::1' });
    expect(view.applied).toBeNull();
    expect(statSync(settingsFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(logLines).toContain('Saved Port = 15696');
  });

  const invalid: Record<Exclude<ScalarFieldId, 'password'>, unknown> = {
    serverName: '', hostName: 'kms:5696', port: 0, autoReconnect: 2, verify: 'maybe', protocol: '9.9', nbio: 'x',
    timeout: 4000, username: ' admin', ciphers: 'AES;x', description: 'd'.repeat(300),
    disableEntropySeed: 1, disableHardwareSignature: 'on', noSplitKey: null,
  };
  it.each(SCALAR_FIELD_IDS.filter((id) => id !== 'password'))('refuses an invalid %s, names it, and persists nothing', async (id) => {
    await repo.saveField('serverName', 'before');
    const before = snapshot();
    const error = await errorOf(repo.saveField(id, invalid[id as Exclude<ScalarFieldId, 'password'>]));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.field).toBe(id);
    expect(snapshot()).toEqual(before);
  });

  it('checks Ciphers with OpenSSL: unknown names and lists that select nothing are refused', async () => {
    expect((await errorOf(repo.saveField('ciphers', 'NOT-A-CIPHER:AES128-SHA'))).message).toMatch(/no cipher "NOT-A-CIPHER"/);
    expect((await errorOf(repo.saveField('ciphers', '!aNULL:!eNULL'))).message).toMatch(/names no cipher: "!", "-", "\+" and "@" entries only change a selection/);
    expect((await errorOf(repo.saveField('ciphers', 'AES128-SHA:!AES128-SHA'))).message).toMatch(/selects no cipher at all .*remove some "!" or "-" exclusions/);
    // Security level 0 would let OpenSSL negotiate suites without encryption.
    expect(await errorOf(repo.saveField('ciphers', 'eNULL:@SECLEVEL=0'))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'ciphers', message: expect.stringContaining('in the clear') });
    expect((await repo.saveField('ciphers', 'ECDHE+AESGCM:!aNULL:TLS_AES_256_GCM_SHA384')).pending.ciphers).toBe('ECDHE+AESGCM:!aNULL:TLS_AES_256_GCM_SHA384');
  });

  it('refuses Ciphers that OpenSSL takes but never offers in a handshake, and keeps TLS 1.3-only lists', async () => {
    await repo.saveField('ciphers', 'AES256-GCM-SHA384');
    const before = snapshot();
    // NULL-SHA (no encryption) is a known name, disabled at every security level above 0: a TLS 1.2 server could never be reached.
    for (const list of ['NULL-SHA', 'NULL-SHA:AES128-SHA']) {
      expect(await errorOf(repo.saveField('ciphers', list))).toMatchObject({ field: 'ciphers', message: expect.stringContaining('OpenSSL never offers "NULL-SHA"') });
    }
    // Each name is offered alone, but the security level the list sets leaves none of them.
    expect((await errorOf(repo.saveField('ciphers', 'AES128-SHA:@SECLEVEL=3'))).message).toMatch(/leaves no TLS 1\.2 suite to offer/);
    expect(snapshot()).toEqual(before);
    expect((await repo.saveField('ciphers', 'TLS_AES_256_GCM_SHA384')).pending.ciphers).toBe('TLS_AES_256_GCM_SHA384');
  });

  it('stores the Password in the keychain and only a marker in the file', async () => {
    const view = await repo.saveField('password', 'kmip-Secret-1');
    expect(view.pending.password.stored).toBe(true);
    expect(secrets.entries.get('lab/pending/password')).toBe('kmip-Secret-1');
    expect(readFileSync(settingsFilePath(dataDir), 'utf8')).not.toContain('kmip-Secret-1');
    expect(logLines.join('\n')).not.toContain('kmip-Secret-1');
  });

  it('persists nothing when the keychain is unavailable', async () => {
    await repo.saveField('serverName', 'before');
    const before = snapshot();
    secrets.failOn = { set: true };
    expect((await errorOf(repo.saveField('password', 'pw'))).code).toBe('SECRET_STORE_UNAVAILABLE');
    expect(snapshot()).toEqual(before);
  });

  it('puts the keychain entry back when the settings file cannot be written', async () => {
    await repo.saveField('password', 'old-secret');
    const fileBefore = readFileSync(settingsFilePath(dataDir), 'utf8');
    // Once the keychain holds the new value, make settings.json a non-empty folder: rename onto it fails.
    secrets.afterSet = () => {
      secrets.afterSet = undefined;
      rmSync(settingsFilePath(dataDir));
      mkdirSync(path.join(settingsFilePath(dataDir), 'blocker'), { recursive: true });
    };
    const error = await errorOf(repo.saveField('password', 'new-secret'));
    expect(error.code).toBe('SETTINGS_WRITE_FAILED');
    expect(secrets.entries.get('lab/pending/password')).toBe('old-secret');
    rmSync(settingsFilePath(dataDir), { recursive: true });
    writeFileSync(settingsFilePath(dataDir), fileBefore);
    expect((await repo.resolveSecrets('pending')).password).toBe('old-secret');
  });

  it('says which keychain entry keeps the new value when putting it back fails too', async () => {
    await repo.saveField('password', 'old-secret');
    secrets.afterSet = () => {
      secrets.afterSet = undefined;
      rmSync(settingsFilePath(dataDir));
      mkdirSync(path.join(settingsFilePath(dataDir), 'blocker'), { recursive: true });
      secrets.failOn = { set: true };
    };
    const error = await errorOf(repo.saveField('password', 'new-secret'));
    expect(error.code).toBe('SETTINGS_WRITE_FAILED');
    expect(error.message).toContain('The OS keychain entry "lab/pending/password" could not be put back and holds the new value');
    expect(error.message).not.toContain('new-secret');
  });

  it('creates a missing data folder on the first change', async () => {
    const fresh = path.join(dataDir, 'new', 'folder');
    await new SettingsRepository({ dataDir: fresh, secrets }).saveField('port', 4000);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    expect(readdirSync(fresh)).toEqual(['settings.json']);
  });

  it('serialises concurrent saves', async () => {
    await Promise.all([repo.saveField('port', 1000), repo.saveField('timeout', 5), repo.saveField('description', 'x'), repo.saveField('nbio', 1)]);
    expect((await repo.view()).pending).toMatchObject({ port: 1000, timeout: 5, description: 'x', nbio: 1 });
  });
});

describe('Load File and Clear', () => {
  it('copies the file into <dataDir>/files, sealed, with mode 0600, and records its details', async () => {
    const { details, settings } = await repo.loadFile({ slot: 'clientCert', format: 'p12', path: pkiPath('client.p12'), password: pkiPassword() });
    const slot = settings.pending.clientCert;
    expect(details.certificates[0]?.subject).toContain('kmip-console-test');
    expect(slot?.fileName).toMatch(/^clientCert-[0-9a-f]{16}\.p12$/);
    const copy = path.join(filesDir(dataDir), slot?.fileName ?? '');
    expect(readFileSync(copy).equals(readFileSync(pkiPath('client.p12')))).toBe(false);
    expect(await repo.readStoredFile(slot!, 'clientCert')).toEqual(readFileSync(pkiPath('client.p12')));
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(slot?.password.stored).toBe(true);
    expect(secrets.entries.get('lab/pending/clientCertPassword')).toBe(pkiPassword());
    expect(readFileSync(settingsFilePath(dataDir), 'utf8')).not.toContain(pkiPassword());
  });


  it('keeps no loaded private key in plaintext on disk; a copy changed on disk, or without its key, is refused', async () => {
    const keyPem = readFileSync(pkiPath('client.key'));
    expect(keyPem.toString()).toContain('PRIVATE KEY'); // an unencrypted key: the case that needs the sealing
    const { settings } = await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client.key') });
    const stored = settings.pending.clientKey!;
    const copy = path.join(filesDir(dataDir), stored.fileName);
    const onDisk = readFileSync(copy);
    expect(onDisk.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    expect(onDisk.includes(keyPem.subarray(40, 80))).toBe(false);
    expect(await repo.readStoredFile(stored, 'clientKey')).toEqual(keyPem);
    const flipped = Buffer.from(onDisk);
    flipped[flipped.length - 1]! ^= 1;
    writeFileSync(copy, flipped);
    await expect(repo.readStoredFile(stored, 'clientKey')).rejects.toMatchObject({ code: 'STORED_FILE_MISSING', message: expect.stringContaining('changed on disk') });
    writeFileSync(copy, onDisk);
    for (const account of [...secrets.entries.keys()].filter((name) => name.endsWith('/files-key'))) secrets.entries.delete(account);
    await expect(repo.readStoredFile(stored, 'clientKey')).rejects.toMatchObject({ message: expect.stringContaining('not in the OS keychain') });
    // The message reaches the app and the CLI alike: it says where to load the file in both.
    await expect(repo.readStoredFile(stored, 'clientKey')).rejects.toMatchObject({
      message: expect.stringContaining('Load the file again (in the app: Advanced › Key; on the command line: kmip-console settings set clientKey --file PATH).'),
    });
  });
  it('does not store a password the file does not need', async () => {
    const { settings } = await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pkiPath('client.pem'), password: 'unneeded' });
    expect(settings.pending.clientCert?.password.stored).toBe(false);
    expect([...secrets.entries.values()]).not.toContain('unneeded');
  });

  it('refuses a key that does not match the loaded certificate, changing nothing', async () => {
    await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pkiPath('client.pem') });
    const before = snapshot();
    const error = await errorOf(repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client2.key') }));
    expect(error).toMatchObject({ code: 'PKI_KEY_MISMATCH', field: 'clientKey' });
    expect(error.message).toMatch(/client2\.key.*does not belong to the certificate loaded under Cert/);
    expect(snapshot()).toEqual(before);
  });

  it.each([
    ['the key loaded first', ['clientKey', 'clientCert']],
    ['the certificates loaded first', ['clientCert', 'clientKey']],
  ] as const)('takes as Cert the certificate the key under Key belongs to, among several in the file (%s)', async (_, order) => {
    const paths = { clientCert: twoClientsPem(), clientKey: pkiPath('client.key') };
    for (const slot of order) await repo.loadFile({ slot, format: 'pem', path: paths[slot] });
    const cert = (await repo.view()).pending.clientCert;
    expect(cert?.details.certificates[0]?.subject).toBe(readSubject('client.pem'));
    expect(cert?.details.warnings.map((w) => w.code) ?? []).not.toContain('KEY_MISMATCH');
  });

  it('takes the Cert file\'s first end-entity certificate as the leaf again once Key is cleared (the one TLS then sends)', async () => {
    await repo.loadFile({ slot: 'clientCert', format: 'pem', path: twoClientsPem() });
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client.key') });
    expect((await repo.view()).pending.clientCert?.details.certificates[0]?.subject).toBe(readSubject('client.pem'));
    const { pending } = await repo.clearFile('clientKey');
    expect(pending.clientCert?.details.certificates[0]?.subject).toBe(readSubject('client2.pem'));
    expect(pending.clientCert?.details.warnings.map((w) => w.code)).toContain('SEVERAL_END_ENTITY_CERTIFICATES');
    expect((await repo.view()).pending.clientCert?.details.certificates[0]?.subject).toBe(readSubject('client2.pem'));
  });

  it('warns, but loads, a certificate that does not match the key already loaded', async () => {
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client.key') });
    const { details } = await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pkiPath('client2.pem') });
    expect(details.warnings.map((w) => w.code)).toEqual(['KEY_MISMATCH']);
  });

  it.each([
    ['wrong password', 'clientKey', 'pem', 'client-encrypted.key', 'wrong', 'PKI_WRONG_PASSWORD'],
    ['wrong format', 'clientCert', 'pem', 'client.p12', undefined, 'PKI_WRONG_FORMAT'],
    ['expired client cert', 'clientCert', 'pem', 'client-expired.pem', undefined, 'PKI_CERT_EXPIRED'],
    ['missing file', 'caCert', 'pem', 'does-not-exist.pem', undefined, 'PKI_UNREADABLE'],
  ] as const)('leaves everything unchanged on %s', async (_case, slot, format, file, password, code) => {
    await repo.loadFile({ slot: 'caCert', format: 'pem', path: pkiPath('ca.pem') });
    await repo.saveField('password', 'kept');
    const before = snapshot();
    const error = await errorOf(repo.loadFile({ slot, format, path: pkiPath(file), ...(password ? { password } : {}) }));
    expect(error).toMatchObject({ code, field: slot });
    expect(snapshot()).toEqual(before);
  });

  it('keeps the previous copy and password when the settings file cannot be written', async () => {
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client.key') });
    const before = snapshot();
    secrets.afterSet = () => {
      secrets.afterSet = undefined;
      rmSync(settingsFilePath(dataDir));
      mkdirSync(path.join(settingsFilePath(dataDir), 'blocker'), { recursive: true });
    };
    const error = await errorOf(repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client-encrypted.key'), password: pkiPassword() }));
    expect(error.code).toBe('SETTINGS_WRITE_FAILED');
    rmSync(settingsFilePath(dataDir), { recursive: true });
    writeFileSync(settingsFilePath(dataDir), before.file ?? '');
    expect(snapshot()).toEqual(before);
  });

  it('a saved Load File is neither reported failed nor undone when an unused entry of files/ cannot be removed', async () => {
    // A folder where only copies are expected: removing what no settings name fails on it.
    mkdirSync(path.join(filesDir(dataDir), 'stray', 'inside'), { recursive: true });
    const { settings } = await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client-encrypted.key'), password: pkiPassword() });
    expect(settings.pending.clientKey?.password.stored).toBe(true);
    expect(await repo.resolveSecrets('pending')).toEqual({ clientKeyPassword: pkiPassword() });
    expect((await repo.clearFile('clientKey')).pending.clientKey).toBeNull();
    expect(readdirSync(filesDir(dataDir))).toEqual(['stray']);
  });

  it('Clear removes the slot, its stored copy and its password', async () => {
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client-encrypted.key'), password: pkiPassword() });
    const view = await repo.clearFile('clientKey');
    expect(view.pending.clientKey).toBeNull();
    expect(readdirSync(filesDir(dataDir))).toEqual([]);
    expect(secrets.entries.has('lab/pending/clientKeyPassword')).toBe(false);
  });

  it('replacing a pending file removes the copy nothing refers to any more', async () => {
    await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pkiPath('client.pem') });
    await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pkiPath('client2.pem') });
    expect(readdirSync(filesDir(dataDir))).toEqual([(await repo.loadPending()).clientCert?.fileName]);
  });

  it('loads and clears public certificates without the OS keychain: their copy holds no secret and is kept as it is', async () => {
    secrets.failOn = { get: true, set: true, delete: true };
    for (const [slot, file] of [['caCert', 'ca-bundle.pem'], ['clientCert', 'client.pem'], ['serverCert', 'server.pem']] as const) {
      const stored = (await repo.loadFile({ slot, format: 'pem', path: pkiPath(file) })).settings.pending[slot]!;
      expect(readFileSync(path.join(filesDir(dataDir), stored.fileName))).toEqual(readFileSync(pkiPath(file)));
      expect(await repo.readStoredFile(stored, slot)).toEqual(readFileSync(pkiPath(file)));
    }
    expect((await repo.clearFile('serverCert')).pending.serverCert).toBeNull();
    // A private key, even unencrypted, and any PKCS#12 file are still sealed, so they need the keychain.
    const before = snapshot();
    expect(await errorOf(repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client.key') }))).toMatchObject({ code: 'SECRET_STORE_UNAVAILABLE' });
    expect(await errorOf(repo.loadFile({ slot: 'clientCert', format: 'p12', path: pkiPath('client.p12'), password: pkiPassword() }))).toMatchObject({
      code: 'SECRET_STORE_UNAVAILABLE',
    });
    expect(snapshot()).toEqual(before);
  });

  it('seals the copy of a certificate file that holds anything besides certificate blocks: a key block the parser passed over stays secret', async () => {
    const keyPem = readFileSync(pkiPath('client.key'), 'latin1');
    const keyBase64 = keyPem.split('\n').slice(1, -2).join('\n');
    const dir = scratchDir('kmip-cert-extra-');
    // A key block cut short, one with a mislabelled end line, and bare base64: the parser takes none of them.
    for (const extra of [keyPem.slice(0, -30), keyPem.replace('-----END PRIVATE KEY-----', '-----END RSA KEY-----'), keyBase64]) {
      const file = path.join(dir, 'cert-and-more.pem');
      writeFileSync(file, `${readFileSync(pkiPath('client.pem'), 'latin1')}${extra}\n`);
      const stored = (await repo.loadFile({ slot: 'clientCert', format: 'pem', path: file })).settings.pending.clientCert!;
      const onDisk = readFileSync(path.join(filesDir(dataDir), stored.fileName));
      expect(onDisk.includes(Buffer.from(keyBase64.slice(100, 160)))).toBe(false);
      expect((await repo.readStoredFile(stored, 'clientCert')).toString('latin1')).toContain(keyBase64.slice(100, 160));
    }
  });

  it('still reads a certificate copy sealed by an earlier version, and drops a replaced file\'s password', async () => {
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client-encrypted.key'), password: pkiPassword() });
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client.key') });
    expect(secrets.entries.has('lab/pending/clientKeyPassword')).toBe(false);
    const stored = (await repo.loadFile({ slot: 'caCert', format: 'pem', path: pkiPath('ca.pem') })).settings.pending.caCert!;
    const filesKey = Buffer.from(secrets.entries.get('lab/files-key')!, 'base64');
    expect(await storeCredentialFile(dataDir, 'caCert', 'pem', readFileSync(pkiPath('ca.pem')), filesKey)).toBe(stored.fileName);
    expect(readFileSync(path.join(filesDir(dataDir), stored.fileName)).includes(Buffer.from('CERTIFICATE'))).toBe(false);
    expect(await repo.readStoredFile(stored, 'caCert')).toEqual(readFileSync(pkiPath('ca.pem')));
  });

  it('Clear of a secret keeps the rest', async () => {
    await repo.saveField('username', 'admin');
    await repo.saveField('password', 'pw');
    const view = await repo.clearSecret('password');
    expect(view.pending).toMatchObject({ username: 'admin', password: { stored: false } });
    expect(secrets.entries.has('lab/pending/password')).toBe(false);
  });
});

describe('Apply, Revert, Reset', () => {
  it('commitApply refuses invalid pending settings and changes nothing', async () => {
    await repo.saveField('serverName', 'x');
    const before = snapshot();
    const error = await errorOf(repo.commitApply(await repo.loadPending()));
    expect(error).toMatchObject({ code: 'APPLY_BLOCKED', field: 'hostName' });
    expect(snapshot()).toEqual(before);
  });

  it('names every problem that blocks Apply, not only the first', async () => {
    await repo.saveField('port', 5697); // Server Name and Host Name stay empty
    const { errors } = await repo.checkForApply(await repo.loadPending());
    expect(errors.length).toBeGreaterThan(1);
    const error = await errorOf(repo.commitApply(await repo.loadPending()));
    expect(error.message).toMatch(new RegExp(`^${errors.length} problems in the pending settings must be fixed first: \\(1\\) `));
    for (const problem of errors) expect(error.message).toContain(problem.message);
  });

  it('commitApply makes pending the applied settings, secrets included', async () => {
    await makeValid();
    await repo.saveField('username', 'admin');
    await repo.saveField('password', 'kmip-pw');
    const view = await repo.commitApply(await repo.loadPending());
    expect(view.applied).toEqual(view.pending);
    expect(await repo.resolveSecrets('applied')).toEqual({ password: 'kmip-pw', clientKeyPassword: pkiPassword() });
  });

  it('a keychain failure during commitApply leaves the applied settings and secrets as they were', async () => {
    await makeValid();
    await repo.commitApply(await repo.loadPending());
    await repo.saveField('port', 7000);
    await repo.saveField('username', 'admin');
    await repo.saveField('password', 'new');
    const before = snapshot();
    // The last entry fails, after the applied password and key password were already replaced.
    secrets.failOn = { delete: true, account: /applied-\d+\/serverKeyPassword$/ };
    expect((await errorOf(repo.commitApply(await repo.loadPending()))).code).toBe('SECRET_STORE_UNAVAILABLE');
    secrets.failOn = {};
    expect(snapshot()).toEqual(before);
    expect((await repo.loadApplied())?.port).toBe(5696);
  });

  it('Revert brings back the applied values and secrets', async () => {
    await makeValid();
    await repo.saveField('username', 'admin');
    await repo.saveField('password', 'applied-pw');
    await repo.commitApply(await repo.loadPending());
    await repo.saveField('port', 9999);
    await repo.saveField('password', 'pending-pw');
    await repo.loadFile({ slot: 'caCert', format: 'pem', path: pkiPath('ca-bundle.pem') });
    const view = await repo.revert();
    expect(view.pending).toEqual(view.applied);
    expect(await repo.resolveSecrets('pending')).toEqual({ password: 'applied-pw', clientKeyPassword: pkiPassword() });
    // The bundle copy was only pending: gone.
    expect(readdirSync(filesDir(dataDir)).sort()).toEqual(
      ['caCert', 'clientCert', 'clientKey'].map((slot) => view.applied?.[slot as 'caCert']?.fileName).sort(),
    );
  });

  it('Revert before any Apply returns to the defaults', async () => {
    await repo.saveField('password', 'x');
    const view = await repo.revert();
    expect(view.pending).toEqual(defaultSettings());
    expect(secrets.entries.size).toBe(0);
  });

  it('Reset clears pending (secrets too) and leaves applied settings, secrets and files alone', async () => {
    await makeValid();
    await repo.saveField('username', 'admin');
    await repo.saveField('password', 'pw');
    const applied = (await repo.commitApply(await repo.loadPending())).applied;
    const view = await repo.reset();
    expect(view.pending).toEqual(defaultSettings());
    expect(view.applied).toEqual(applied);
    expect([...secrets.entries.keys()].filter((k) => k.includes('/pending/'))).toEqual([]);
    expect(await repo.resolveSecrets('applied')).toEqual({ password: 'pw', clientKeyPassword: pkiPassword() });
    expect(readdirSync(filesDir(dataDir))).toHaveLength(3);
  });

  it('blocks Apply when a stored copy disappeared, naming the slot and the fix', async () => {
    await makeValid();
    const fileName = (await repo.loadPending()).caCert?.fileName ?? '';
    rmSync(path.join(filesDir(dataDir), fileName));
    const error = await errorOf(repo.commitApply(await repo.loadPending()));
    expect(error).toMatchObject({ code: 'APPLY_BLOCKED', field: 'caCert' });
    expect(error.message).toMatch(/load the file again/);
    expect((await repo.loadApplied())).toBeNull();
  });

  it('resolveSecrets reports a secret that vanished from the keychain', async () => {
    await repo.saveField('password', 'pw');
    secrets.entries.clear();
    const error = await errorOf(repo.resolveSecrets('pending'));
    expect(error).toMatchObject({ code: 'SECRET_MISSING', field: 'password' });
    expect(error.message).toMatch(/enter it again and Save/);
  });
});

describe('the settings file', () => {
  it('moves a damaged file aside, reports both names, and starts over from the defaults', async () => {
    writeFileSync(settingsFilePath(dataDir), '{"schemaVersion": 1, "pending": {');
    const error = await errorOf(repo.view());
    expect(error.code).toBe('SETTINGS_CORRUPTED');
    const aside = readdirSync(dataDir).find((name) => name.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(error.message).toContain(settingsFilePath(dataDir));
    expect(error.message).toContain(path.join(dataDir, aside ?? ''));
    // The fix serves the app and the command line alike.
    expect(error.message).toContain('in the app, Save and Apply; on the command line, kmip-console settings set (or settings import) and kmip-console apply.');
    expect(readFileSync(path.join(dataDir, aside ?? ''), 'utf8')).toBe('{"schemaVersion": 1, "pending": {');
    expect((await repo.view()).pending).toEqual(defaultSettings());
  });

  it('treats well-formed JSON of the wrong shape as damaged', async () => {
    writeFileSync(settingsFilePath(dataDir), JSON.stringify({ schemaVersion: 1, pending: { port: 'x' }, applied: null }));
    expect((await errorOf(repo.view())).code).toBe('SETTINGS_CORRUPTED');
    expect(readdirSync(dataDir).some((name) => name.startsWith('settings.json.corrupt-'))).toBe(true);
  });

  it('refuses a file from a newer version without touching it', async () => {
    const newer = JSON.stringify({ schemaVersion: 99, pending: {}, applied: null });
    writeFileSync(settingsFilePath(dataDir), newer);
    const error = await errorOf(repo.view());
    expect(error.code).toBe('SETTINGS_TOO_NEW');
    expect(error.message).toMatch(/update kmip-console/);
    expect(readFileSync(settingsFilePath(dataDir), 'utf8')).toBe(newer);
  });

  it('fills fields missing from an older file with their defaults', async () => {
    const { noSplitKey: _dropped, ...older } = { ...defaultSettings(), serverName: 'Old' };
    writeFileSync(settingsFilePath(dataDir), JSON.stringify({ schemaVersion: 2, keychainId: 'k1', pending: older, applied: null }));
    expect((await repo.view()).pending).toEqual({ ...defaultSettings(), serverName: 'Old' });
  });

  it('migrates a version 1 file, keeping its secrets under the "default" keychain names', async () => {
    const v1 = { ...defaultSettings(), username: 'admin', password: { stored: true, savedAt: '2026-01-01T00:00:00.000Z' } };
    writeFileSync(settingsFilePath(dataDir), JSON.stringify({ schemaVersion: 1, pending: v1, applied: null }));
    secrets.entries.set('default/pending/password', 'from-v1');
    const migrated = new SettingsRepository({ dataDir, secrets });
    expect(await migrated.resolveSecrets('pending')).toEqual({ password: 'from-v1' });
    await migrated.saveField('port', 1234);
    expect(JSON.parse(readFileSync(settingsFilePath(dataDir), 'utf8'))).toMatchObject({ schemaVersion: 3, keychainId: 'default' });
  });

  it('reads the secrets of a version 2 file as revision 0 in place, and the next Apply moves them to revision 1', async () => {
    await makeValid();
    await repo.saveField('username', 'admin');
    await repo.saveField('password', 'pw-v2');
    const pending = await repo.loadPending();
    writeFileSync(settingsFilePath(dataDir), JSON.stringify({ schemaVersion: 2, keychainId: 'k1', pending, applied: pending }));
    secrets.entries.set('lab/applied/password', 'pw-v2');
    secrets.entries.set('lab/applied/clientKeyPassword', pkiPassword());
    expect(await repo.resolveSecrets('applied')).toEqual({ password: 'pw-v2', clientKeyPassword: pkiPassword() });

    await repo.saveField('password', 'pw-v3');
    await repo.commitApply(await repo.loadPending());
    expect(JSON.parse(readFileSync(settingsFilePath(dataDir), 'utf8'))).toMatchObject({ schemaVersion: 3, appliedRevision: 1 });
    expect(await repo.resolveSecrets('applied')).toEqual({ password: 'pw-v3', clientKeyPassword: pkiPassword() });
    expect([...secrets.entries.keys()].filter((k) => k.startsWith('lab/applied')).sort()).toEqual(['lab/applied-1/clientKeyPassword', 'lab/applied-1/password']);
  });

  it('completes Apply when the old entries cannot be removed, and removes them at the next Apply', async () => {
    await makeValid();
    await repo.saveField('username', 'admin');
    await repo.saveField('password', 'first');
    await repo.commitApply(await repo.loadPending());
    await repo.saveField('password', 'second');
    secrets.failOn = { delete: true, account: /^lab\/applied-1\// };
    await repo.commitApply(await repo.loadPending());
    secrets.failOn = {};
    expect(await repo.resolveSecrets('applied')).toEqual({ password: 'second', clientKeyPassword: pkiPassword() });
    expect(secrets.entries.get('lab/applied-1/password')).toBe('first');
    expect(logLines.some((line) => line.startsWith('Could not remove old applied keychain entries (revision 1)'))).toBe(true);
    await repo.commitApply(await repo.loadPending());
    expect([...secrets.entries.keys()].filter((k) => k.startsWith('lab/applied')).sort()).toEqual(['lab/applied-3/clientKeyPassword', 'lab/applied-3/password']);
  });

  it('gives each data folder its own keychain names', async () => {
    const other = scratchDir('kmip-settings-other-');
    const first = new SettingsRepository({ dataDir, secrets });
    const second = new SettingsRepository({ dataDir: other, secrets });
    await first.saveField('password', 'first-folder');
    await second.saveField('password', 'second-folder');
    expect(await first.resolveSecrets('pending')).toEqual({ password: 'first-folder' });
    expect(await second.resolveSecrets('pending')).toEqual({ password: 'second-folder' });
    const { keychainId } = JSON.parse(readFileSync(settingsFilePath(dataDir), 'utf8')) as { keychainId: string };
    expect(secrets.entries.get(`${keychainId}/pending/password`)).toBe('first-folder');
  });
});

describe('Import', () => {
  function file(name: string, password?: string): ImportedFile {
    return { format: 'pem', bytes: readFileSync(pkiPath(name)), sourceName: name, ...(password ? { password } : {}) };
  }

  /** An export from another machine: fields, the KMIP password, a certificate with its encrypted key, a CA. */
  function exported(): SettingsImport {
    return {
      fields: { serverName: 'Imported EKS', hostName: 'kms.example.com', port: 5697, password: 'new-secret' },
      files: { clientCert: file('client.pem'), clientKey: file('client-encrypted.key', pkiPassword()), caCert: file('ca.pem') },
    };
  }

  /** What the import replaces: a field, the KMIP password, a CA; no sealed copy yet, so no files key. */
  async function pendingBefore(): Promise<void> {
    await repo.saveField('serverName', 'Before');
    await repo.saveField('password', 'old-secret');
    await repo.loadFile({ slot: 'caCert', format: 'pem', path: pkiPath('ca-bundle.pem') });
  }

  /** A repository on the same folder that runs `fault` where an import has written the copies and the keychain entries. */
  function failingAtSwitch(fault: () => void): SettingsRepository {
    const pauseAt = async (point: SecretSwitchPausePoint) => {
      if (point === 'secrets-staged') fault();
    };
    return new SettingsRepository({ dataDir, secrets, profile: 'lab', pauseAt });
  }

  /** settings.json becomes a non-empty folder: the rename of the new file onto it fails. */
  function blockSettingsFile(): void {
    rmSync(settingsFilePath(dataDir));
    mkdirSync(path.join(settingsFilePath(dataDir), 'blocker'), { recursive: true });
  }

  function unblockSettingsFile(content: string | null): void {
    rmSync(settingsFilePath(dataDir), { recursive: true });
    writeFileSync(settingsFilePath(dataDir), content ?? '');
  }

  const NOTHING_IMPORTED = 'Nothing was imported: the pending settings, their keychain entries and the stored copies are as they were.';

  it('saves every field and file at once, its secrets as the next pending revision', async () => {
    await pendingBefore();
    const { settings, files } = await repo.importSettings(exported());
    expect(settings.pending).toMatchObject({ serverName: 'Imported EKS', hostName: 'kms.example.com', port: 5697, password: { stored: true } });
    expect(settings.pending.clientKey?.password.stored).toBe(true);
    expect(files.clientKey?.sourceName).toBe('client-encrypted.key');
    expect(await repo.resolveSecrets('pending')).toEqual({ password: 'new-secret', clientKeyPassword: pkiPassword() });
    expect([...secrets.entries.keys()].filter((account) => account.startsWith('lab/pending')).sort()).toEqual(['lab/pending-1/clientKeyPassword', 'lab/pending-1/password']);
    const names = (['clientCert', 'clientKey', 'caCert'] as const).map((slot) => settings.pending[slot]?.fileName);
    expect(readdirSync(filesDir(dataDir)).sort()).toEqual(names.sort());
    expect(logLines).toContain('Imported Server Name, Host Name, Port, Password, Cert, Key, CA Trusted Cert into the pending settings');
    expect(readFileSync(settingsFilePath(dataDir), 'utf8')).not.toContain('new-secret');
  });

  it('keeps the secrets it does not replace, and needs no keychain for fields and certificates alone', async () => {
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client-encrypted.key'), password: pkiPassword() });
    await repo.importSettings({ fields: { password: 'new-secret' }, files: {} });
    expect(await repo.resolveSecrets('pending')).toEqual({ password: 'new-secret', clientKeyPassword: pkiPassword() });
    secrets.failOn = { get: true, set: true, delete: true };
    const { settings } = await repo.importSettings({ fields: { serverName: 'No keychain' }, files: { caCert: file('ca.pem') } });
    expect(settings.pending).toMatchObject({ serverName: 'No keychain', caCert: { details: { sourceName: 'ca.pem' } } });
  });

  it('refuses a key that does not match the certificate imported with it before writing anything', async () => {
    await pendingBefore();
    const before = snapshot();
    const input = exported();
    input.files.clientKey = file('client2.key');
    expect(await errorOf(repo.importSettings(input))).toMatchObject({ code: 'PKI_KEY_MISMATCH', field: 'clientKey' });
    expect(snapshot()).toEqual(before);
  });

  it('takes as Cert the certificate the imported key belongs to, among several in the file', async () => {
    const input = exported();
    input.files.clientCert = { format: 'pem', bytes: twoClientsBytes(), sourceName: 'two-clients.pem' };
    input.files.clientKey = file('client.key');
    const { settings } = await repo.importSettings(input);
    expect(settings.pending.clientCert?.details.certificates[0]?.subject).toBe(readSubject('client.pem'));
  });

  it('takes as Cert the certificate an imported key belongs to, in a Cert file loaded before', async () => {
    const { details } = await repo.loadFile({ slot: 'clientCert', format: 'pem', path: twoClientsPem() });
    expect(details.certificates[0]?.subject).toBe(readSubject('client2.pem'));
    const { settings } = await repo.importSettings({ fields: {}, files: { clientKey: file('client.key') } });
    expect(settings.pending.clientCert?.details.certificates[0]?.subject).toBe(readSubject('client.pem'));
  });

  it('refuses a file larger than Load File takes, naming it, before writing anything', async () => {
    await pendingBefore();
    const before = snapshot();
    const input = exported();
    input.files.caCert = { format: 'pem', bytes: Buffer.alloc(MAX_CREDENTIAL_FILE_BYTES + 1), sourceName: 'huge.pem' };
    expect(await errorOf(repo.importSettings(input))).toMatchObject({ code: 'PKI_FILE_TOO_LARGE', field: 'caCert', message: expect.stringContaining('"huge.pem" is') });
    expect(snapshot()).toEqual(before);
  });

  it('saves nothing when a copy cannot be written after others were (a folder in its place)', async () => {
    await pendingBefore();
    const input = exported();
    // The key's copy is written after the certificate's, and after the key that seals it was created.
    mkdirSync(path.join(filesDir(dataDir), credentialFileName('clientKey', 'pem', input.files.clientKey!.bytes), 'blocker'), { recursive: true });
    const before = snapshot();
    const error = await errorOf(repo.importSettings(input));
    expect(error.code).toBe('SETTINGS_WRITE_FAILED');
    expect(error.message).toMatch(/^The copy of Key could not be written to .*\(EISDIR\): check that the data folder is writable\. /);
    expect(error.message.endsWith(NOTHING_IMPORTED)).toBe(true);
    expect(snapshot()).toEqual(before);
    expect((await repo.loadPending()).serverName).toBe('Before');
    expect(await repo.resolveSecrets('pending')).toEqual({ password: 'old-secret' });
  });

  it('puts everything back when the settings file cannot be written after the copies and keychain entries were', async () => {
    await pendingBefore();
    const before = snapshot();
    let staged: string[] = [];
    const blocked = failingAtSwitch(() => {
      staged = [...secrets.entries.keys()];
      blockSettingsFile();
    });
    const error = await errorOf(blocked.importSettings(exported()));
    expect(error.code).toBe('SETTINGS_WRITE_FAILED');
    expect(error.message).toMatch(/^The settings could not be written to /);
    expect(error.message.endsWith(NOTHING_IMPORTED)).toBe(true);
    // The fault came after the next revision's entries and the files key were written.
    expect(staged).toEqual(expect.arrayContaining(['lab/pending-1/password', 'lab/pending-1/clientKeyPassword', 'lab/files-key']));
    unblockSettingsFile(before.file);
    expect(snapshot()).toEqual(before);
    expect(await repo.resolveSecrets('pending')).toEqual({ password: 'old-secret' });
  });

  it('puts everything back when the keychain fails part-way', async () => {
    await pendingBefore();
    const before = snapshot();
    // The password of the next revision is written; the key's password is not.
    secrets.failOn = { set: true, account: /pending-1\/clientKeyPassword$/ };
    const error = await errorOf(repo.importSettings(exported()));
    expect(error.code).toBe('SECRET_STORE_UNAVAILABLE');
    expect(error.message.endsWith(NOTHING_IMPORTED)).toBe(true);
    secrets.failOn = {};
    expect(snapshot()).toEqual(before);
  });

  it('names what it could not put back: a copy it wrote and the files key it created', async () => {
    await pendingBefore();
    const before = snapshot();
    const input = exported();
    const certCopy = path.join(filesDir(dataDir), credentialFileName('clientCert', 'pem', input.files.clientCert!.bytes));
    const blocked = failingAtSwitch(() => {
      blockSettingsFile();
      rmSync(certCopy);
      mkdirSync(path.join(certCopy, 'blocker'), { recursive: true });
    });
    secrets.failOn = { delete: true, account: /\/files-key$/ };
    const error = await errorOf(blocked.importSettings(input));
    expect(error.code).toBe('SETTINGS_WRITE_FAILED');
    expect(error.message).toContain('Nothing was imported: the pending settings and their keychain entries are as they were, but ');
    expect(error.message).toContain(`the stored copy it wrote (${certCopy}) could not be removed (no settings use it): delete it, or the next change of the settings removes it`);
    expect(error.message).toContain('the key for stored copies it created in the OS keychain (entry "lab/files-key") could not be removed');
    secrets.failOn = {};
    unblockSettingsFile(before.file);
    expect(snapshot().keychain).toEqual([...before.keychain, ['lab/files-key', secrets.entries.get('lab/files-key')]].sort());
    expect((await repo.loadPending()).serverName).toBe('Before');
    expect(await repo.resolveSecrets('pending')).toEqual({ password: 'old-secret' });
  });
});
