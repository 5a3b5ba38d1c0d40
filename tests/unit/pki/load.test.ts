import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileFormat, FileSlotId } from '../../../common/pki-types';
import { loadCredentialFile, parseCredentialFile, PkiError, type PairedKey, type PkiErrorCode } from '../../../main/pki';
import { scratchDir } from '../../support/scratch-dirs';
import { openssl, pkcs12Of, pkiBytes, pkiPassword, pkiPath, testPkiDir } from './test-pki';

let scratch: string;
beforeAll(() => {
  testPkiDir();
  scratch = scratchDir('kmip-pki-scratch-');
}, 120_000);

function parse(slot: FileSlotId, format: FileFormat, file: string | Buffer, password?: string, now?: Date) {
  const bytes = typeof file === 'string' ? pkiBytes(file) : file;
  const sourceName = typeof file === 'string' ? file : 'bytes.bin';
  return parseCredentialFile({ slot, format, bytes, sourceName, ...(password !== undefined ? { password } : {}), ...(now ? { now } : {}) });
}

function errorOf(run: () => unknown): PkiError {
  try {
    run();
  } catch (error) {
    if (error instanceof PkiError) return error;
    throw error;
  }
  throw new Error('expected a PkiError');
}

function expectCode(run: () => unknown, code: PkiErrorCode): PkiError {
  const error = errorOf(run);
  expect(error.code).toBe(code);
  return error;
}

function opensslFingerprint(file: string): string {
  return openssl(['x509', '-in', pkiPath(file), '-noout', '-fingerprint', '-sha256']).trim().split('=')[1] ?? '';
}

let scratchCount = 0;
function scratchFile(name: string): string {
  scratchCount += 1;
  return path.join(scratch, `${scratchCount}-${name}`);
}

/** A PKCS#12 file made by `openssl pkcs12 -export <args>`, the password passed through a file. */
function exportPkcs12(args: string[], password: string): Buffer {
  const passwordFile = scratchFile('password.txt');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  const out = scratchFile('export.p12');
  openssl(['pkcs12', '-export', ...args, '-passout', `file:${passwordFile}`, '-out', out]);
  return readFileSync(out);
}

function warningCodes(details: { warnings: { code: string }[] }): string[] {
  return details.warnings.map((w) => w.code);
}

describe('PEM certificates and keys', () => {
  it('describes a client certificate as openssl does', () => {
    const { details } = parse('clientCert', 'pem', 'client.pem');
    const [leaf] = details.certificates;
    expect(leaf?.subject).toContain('CN=kmip-console-test');
    expect(leaf?.issuer).toContain('CN=kmip-console test CA');
    expect(leaf?.sha256Fingerprint).toBe(opensslFingerprint('client.pem'));
    const endDate = openssl(['x509', '-in', pkiPath('client.pem'), '-noout', '-enddate']).trim().split('=')[1] ?? '';
    expect(leaf?.notAfter).toBe(new Date(endDate).toISOString());
    expect(leaf?.publicKey).toEqual({ type: 'rsa', sizeBits: 2048, curve: null });
    expect(leaf?.extendedKeyUsage).toEqual(['clientAuth']);
    expect(leaf?.isCa).toBe(false);
    expect(details.warnings).toEqual([]);
    expect(details.privateKey).toBeNull();
    expect(details.encrypted).toBe(false);
  });

  it('describes a private key and ties it to its certificate by public key hash', () => {
    const key = parse('clientKey', 'pem', 'client.key').details.privateKey;
    const cert = parse('clientCert', 'pem', 'client.pem').details.certificates[0];
    const other = parse('clientKey', 'pem', 'client2.key').details.privateKey;
    expect(key).toMatchObject({ type: 'rsa', sizeBits: 2048 });
    expect(key?.publicKeySha256).toBe(cert?.publicKeySha256);
    expect(other?.publicKeySha256).not.toBe(cert?.publicKeySha256);
  });

  it('accepts a certificate and its key in one PEM file, and refuses a mismatched pair', () => {
    const both = Buffer.concat([pkiBytes('client.pem'), pkiBytes('client.key')]);
    expect(parse('clientCert', 'pem', both).details.privateKey).not.toBeNull();
    const mismatched = Buffer.concat([pkiBytes('client.pem'), pkiBytes('client2.key')]);
    expect(expectCode(() => parse('clientCert', 'pem', mismatched), 'PKI_KEY_MISMATCH').message).toMatch(/does not belong/);
  });

  it.each(['client-encrypted.key', 'client-encrypted-traditional.key'])('opens encrypted key %s only with its password', (file) => {
    expectCode(() => parse('clientKey', 'pem', file), 'PKI_PASSWORD_REQUIRED');
    const wrong = expectCode(() => parse('clientKey', 'pem', file, 'not-the-password'), 'PKI_WRONG_PASSWORD');
    expect(wrong.message).toContain(file);
    expect(wrong.message).not.toContain('not-the-password');
    const { details } = parse('clientKey', 'pem', file, pkiPassword());
    expect(details.encrypted).toBe(true);
    expect(details.privateKey?.publicKeySha256).toBe(parse('clientCert', 'pem', 'client.pem').details.certificates[0]?.publicKeySha256);
  });

  it('says so when a refused password begins or ends with a space (a paste), for a key and for a P12', () => {
    const spaced = `${pkiPassword()} `;
    expect(expectCode(() => parse('clientKey', 'pem', 'client-encrypted.key', spaced), 'PKI_WRONG_PASSWORD').message).toMatch(
      /\(it is case-sensitive; this one begins or ends with a space or line break, as a pasted one often does\)/,
    );
    expect(expectCode(() => parse('clientCert', 'p12', 'client.p12', ` ${pkiPassword()}`), 'PKI_WRONG_PASSWORD').message).toMatch(/begins or ends with a space/);
    expect(expectCode(() => parse('clientCert', 'p12', 'client.p12', 'not-it'), 'PKI_WRONG_PASSWORD').message).toMatch(/\(it is case-sensitive\) and load/);
  });

  it('reads CRLF files and the "Bag Attributes" text openssl pkcs12 -nodes writes around blocks', () => {
    const text = `Bag Attributes\n    localKeyID: 01\nsubject=/CN=x\n${pkiBytes('client.pem').toString()}${pkiBytes('client.key').toString()}`;
    const { details } = parse('clientCert', 'pem', Buffer.from(text.replace(/\n/g, '\r\n')));
    expect(details.certificates).toHaveLength(1);
    expect(details.privateKey?.publicKeySha256).toBe(details.certificates[0]?.publicKeySha256);
  });

  it('reads every certificate of a CA bundle', () => {
    const { details } = parse('caCert', 'pem', 'ca-bundle.pem');
    expect(details.certificates.map((c) => c.subject)).toEqual([
      expect.stringContaining('kmip-console test CA'),
      expect.stringContaining('kmip-console untrusted CA'),
    ]);
    expect(details.certificates.every((c) => c.isCa && c.selfSigned)).toBe(true);
    expect(details.warnings).toEqual([]);
  });

  it('keeps each certificate of a CA bundle once, in the order first seen, and says how many copies were left out', () => {
    const [ca, other] = [pkiBytes('ca.pem').toString(), pkiBytes('other-ca.pem').toString()];
    const { details, material } = parse('caCert', 'pem', Buffer.from(`${other}${ca}${other}${ca.repeat(300)}`));
    expect(details.certificates.map((c) => c.subject)).toEqual([expect.stringContaining('untrusted CA'), expect.stringContaining('test CA')]);
    expect(material.certificates).toHaveLength(2);
    expect(details.warnings).toEqual([{ code: 'DUPLICATE_CERTIFICATES', message: '301 duplicate certificate(s) in the file were left out; 2 distinct certificate(s) kept.' }]);
  });

  it('takes the end-entity certificate as the leaf when a Cert or Server Cert file lists the CA first', () => {
    const caFirst = (leaf: string) => Buffer.concat([pkiBytes('ca.pem'), pkiBytes(leaf)]);
    const client = parse('clientCert', 'pem', caFirst('client.pem'));
    expect(client.details.certificates.map((c) => c.sha256Fingerprint)).toEqual([opensslFingerprint('client.pem'), opensslFingerprint('ca.pem')]);
    expect(client.material.certificates[0]?.fingerprint256).toBe(opensslFingerprint('client.pem'));
    expect(client.details.warnings).toEqual([]);
    // the key the user loads next is compared with certificates[0]: it must be the client's
    expect(client.details.certificates[0]?.publicKeySha256).toBe(parse('clientKey', 'pem', 'client.key').details.privateKey?.publicKeySha256);
    expect(parse('serverCert', 'pem', caFirst('server.pem')).details.certificates[0]?.sha256Fingerprint).toBe(opensslFingerprint('server.pem'));
    const withKey = parse('clientCert', 'pem', Buffer.concat([caFirst('client.pem'), pkiBytes('client.key')]));
    expect(withKey.details.certificates[0]?.publicKeySha256).toBe(withKey.details.privateKey?.publicKeySha256);
    // the CA bundle keeps the file's order
    expect(parse('caCert', 'pem', caFirst('client.pem')).details.certificates[0]?.sha256Fingerprint).toBe(opensslFingerprint('ca.pem'));
  });

  it('warns when the only certificate of a Cert or Server Cert file is a CA certificate, unless its key is in the file', () => {
    const cert = parse('clientCert', 'pem', 'ca.pem').details;
    expect(cert.warnings).toEqual([{ code: 'LEAF_IS_CA', message: expect.stringMatching(/"ca\.pem" is a CA certificate.*load it under CA Trusted Cert/) }]);
    const pin = parse('serverCert', 'pem', 'ca.pem').details;
    expect(pin.warnings).toEqual([{ code: 'LEAF_IS_CA', message: expect.stringMatching(/CA:TRUE.*the pin is compared with the certificate the server presents/) }]);
    const selfSigned = parse('clientCert', 'pem', Buffer.concat([pkiBytes('ca.pem'), pkiBytes('ca.key')])).details;
    expect(warningCodes(selfSigned)).not.toContain('LEAF_IS_CA');
    expect(warningCodes(parse('caCert', 'pem', 'ca.pem').details)).toEqual([]);
  });

  it('accepts blanks at the end of PEM lines, as OpenSSL does', () => {
    const trailingSpace = (file: string, lines: RegExp) => Buffer.from(pkiBytes(file).toString().replace(lines, '$1 \t'));
    const beginLine = parse('caCert', 'pem', trailingSpace('ca.pem', /^(-----BEGIN CERTIFICATE-----)/m)).details;
    expect(beginLine.certificates[0]?.sha256Fingerprint).toBe(opensslFingerprint('ca.pem'));
    const everyLine = parse('clientCert', 'pem', Buffer.concat([trailingSpace('client.pem', /^(.+)$/gm), trailingSpace('client.key', /^(.+)$/gm)])).details;
    expect(everyLine.certificates[0]?.sha256Fingerprint).toBe(opensslFingerprint('client.pem'));
    expect(everyLine.privateKey?.publicKeySha256).toBe(everyLine.certificates[0]?.publicKeySha256);
  });

  it("warns that a non-CA certificate issued by a CA verifies no server under CA Trusted Cert, and names its issuer to load instead", () => {
    const { details } = parse('caCert', 'pem', 'server.pem');
    const warning = details.warnings.find((w) => w.code === 'NOT_A_CA');
    expect(warning?.message).toMatch(/not a CA certificate .* and not self-signed, so it verifies no server/);
    expect(warning?.message).toContain(`("${details.certificates[0]?.issuer}")`);
    expect(warning?.message).not.toMatch(/trusted as given/);
  });

  it('warns that a self-signed non-CA certificate under CA Trusted Cert verifies only a server presenting it', () => {
    const key = scratchFile('self.key');
    const cert = scratchFile('self.pem');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', '/CN=self-signed-server', '-days', '30', '-addext', 'basicConstraints=critical,CA:FALSE', '-out', cert]);
    const { details } = parseCredentialFile({ slot: 'caCert', format: 'pem', bytes: readFileSync(cert), sourceName: 'self.pem' });
    const warning = details.warnings.find((w) => w.code === 'NOT_A_CA');
    expect(warning?.message).toMatch(/"CN=self-signed-server" is not a CA certificate .* but is self-signed: it verifies only a server that presents this very certificate/);
  });

  it('describes EC keys', () => {
    const key = path.join(scratch, 'ec.key');
    const cert = path.join(scratch, 'ec.pem');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    openssl(['req', '-new', '-x509', '-key', key, '-subj', '/CN=ec-client', '-days', '90', '-addext', 'extendedKeyUsage=clientAuth', '-out', cert]);
    const p12 = path.join(scratch, 'ec.p12');
    openssl(['pkcs12', '-export', '-in', cert, '-inkey', key, '-passout', `file:${pkiPath('password.txt')}`, '-out', p12]);
    const fromPem = parseCredentialFile({ slot: 'clientKey', format: 'pem', bytes: Buffer.from(openssl(['pkey', '-in', key])), sourceName: 'ec.key' });
    expect(fromPem.details.privateKey).toMatchObject({ type: 'ec', curve: 'prime256v1', sizeBits: 256 });
    const fromP12 = parseCredentialFile({ slot: 'clientCert', format: 'p12', bytes: readFileSync(p12), sourceName: 'ec.p12', password: pkiPassword() });
    expect(fromP12.details.privateKey?.publicKeySha256).toBe(fromP12.details.certificates[0]?.publicKeySha256);
    expect(fromP12.details.certificates[0]?.publicKey.type).toBe('ec');
  });
});

describe('PKCS#12', () => {
  it('reads a modern (AES) P12 with its password: leaf first, key matching, chain included', () => {
    const { details } = parse('clientCert', 'p12', 'client.p12', pkiPassword());
    expect(details.encrypted).toBe(true);
    expect(details.certificates).toHaveLength(2);
    expect(details.certificates[0]?.subject).toContain('CN=kmip-console-test');
    expect(details.certificates[0]?.sha256Fingerprint).toBe(opensslFingerprint('client.pem'));
    expect(details.privateKey?.publicKeySha256).toBe(details.certificates[0]?.publicKeySha256);
    expect(details.warnings).toEqual([]);
  });

  it('reads a legacy RC2-40 P12 through the fallback parser, with a warning naming its algorithms', () => {
    const { details } = parse('clientCert', 'p12', 'client-legacy.p12', pkiPassword());
    expect(details.certificates[0]?.sha256Fingerprint).toBe(opensslFingerprint('client.pem'));
    expect(details.privateKey?.publicKeySha256).toBe(details.certificates[0]?.publicKeySha256);
    expect(details.warnings).toEqual([
      { code: 'LEGACY_PKCS12', message: expect.stringContaining('(encrypted contents: RC2-40; private key: 3DES; MAC: SHA-1)') },
    ]);
  });

  it('bases the weak-PKCS#12 warning on the algorithms in the file', () => {
    const password = pkiPassword();
    const tripleDes = exportPkcs12(['-in', pkiPath('client.pem'), '-inkey', pkiPath('client.key'), '-legacy', '-descert'], password);
    expect(parse('clientCert', 'p12', tripleDes, password).details.warnings).toEqual([
      { code: 'LEGACY_PKCS12', message: expect.stringContaining('(encrypted contents: 3DES; private key: 3DES; MAC: SHA-1)') },
    ]);
    const pbes2TripleDesKey = exportPkcs12(['-in', pkiPath('client.pem'), '-inkey', pkiPath('client.key'), '-keypbe', 'DES-EDE3-CBC'], password);
    expect(parse('clientCert', 'p12', pbes2TripleDesKey, password).details.warnings).toEqual([
      { code: 'LEGACY_PKCS12', message: expect.stringContaining('(private key: 3DES)') },
    ]);
    // modern and without a key: OpenSSL in Node cannot load it as a TLS identity, but nothing in it is weak
    const modernCaOnly = exportPkcs12(['-nokeys', '-in', pkiPath('ca.pem')], password);
    expect(parse('caCert', 'p12', modernCaOnly, password).details.warnings).toEqual([]);
  });

  it.each(['pässwörd', 'pässwörd€😀'])('opens a modern (AES) P12 whose password is %s (not ASCII), as OpenSSL does', (password) => {
    const p12 = exportPkcs12(['-in', pkiPath('client.pem'), '-inkey', pkiPath('client.key'), '-certfile', pkiPath('ca.pem')], password);
    const { details } = parse('clientCert', 'p12', p12, password);
    expect(details.certificates.map((c) => c.sha256Fingerprint)).toEqual([opensslFingerprint('client.pem'), opensslFingerprint('ca.pem')]);
    expect(details.privateKey?.publicKeySha256).toBe(details.certificates[0]?.publicKeySha256);
    expect(details.encrypted).toBe(true);
    expect(details.warnings).toEqual([]);
    const wrong = expectCode(() => parse('clientCert', 'p12', p12, 'passwörd'), 'PKI_WRONG_PASSWORD');
    expect(wrong.message).toMatch(/does not open/);
  });

  it('names the password encoding, not the file, when a non-ASCII password passes the MAC but does not decrypt', () => {
    const password = 'pässwörd';
    // certificates under PKCS#12 PBE (password as UTF-16), key under PBES2 (password as UTF-8): no one encoding opens both
    const mixed = exportPkcs12(['-in', pkiPath('client.pem'), '-inkey', pkiPath('client.key'), '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'AES-256-CBC'], password);
    const error = expectCode(() => parse('clientCert', 'p12', mixed, password), 'PKI_WRONG_PASSWORD');
    expect(error.message).toMatch(/"bytes\.bin".*non-ASCII characters.*Export the file again with a password of ASCII/);
    expect(error.message).not.toContain(password);
  });

  it('warns when a P12 in the Cert slot holds only a CA certificate', () => {
    const password = pkiPassword();
    const caOnly = exportPkcs12(['-nokeys', '-in', pkiPath('ca.pem')], password);
    expect(warningCodes(parse('clientCert', 'p12', caOnly, password).details)).toEqual(['LEAF_IS_CA']);
  });

  it.each(['client.p12', 'client-legacy.p12'])('%s: no password and wrong password are told apart', (file) => {
    expectCode(() => parse('clientCert', 'p12', file), 'PKI_PASSWORD_REQUIRED');
    const wrong = expectCode(() => parse('clientCert', 'p12', file, 'wrong-password'), 'PKI_WRONG_PASSWORD');
    expect(wrong.message).toContain(file);
  });

  it('serves the Key slot from a P12', () => {
    const { details } = parse('clientKey', 'p12', 'client.p12', pkiPassword());
    expect(details.privateKey?.type).toBe('rsa');
  });
});

describe('a Cert or Server Cert file holding several end-entity certificates', () => {
  const CLIENT = 'O=kmip-console tests, CN=kmip-console-test';
  const CLIENT2 = 'O=kmip-console tests, CN=kmip-console-test-2';
  /** client2 first, the test CA, then client: the key's certificate is neither first nor first after the CA */
  const twoClients = () => Buffer.concat([pkiBytes('client2.pem'), pkiBytes('ca.pem'), pkiBytes('client.pem')]);
  const pairedKey = (file: string): PairedKey => parse('clientKey', 'pem', file).details;
  const withKeyUnder = (bytes: Buffer, key: PairedKey, slot: FileSlotId = 'clientCert') =>
    parseCredentialFile({ slot, format: 'pem', bytes, sourceName: 'two-clients.pem', pairedKey: key });
  const fingerprints = (details: { certificates: { sha256Fingerprint: string }[] }) => details.certificates.map((c) => c.sha256Fingerprint);

  it('without a key, uses the first and warns, naming the file, each subject and the one used', () => {
    const { details, material } = parse('clientCert', 'pem', twoClients());
    expect(fingerprints(details)).toEqual([opensslFingerprint('client2.pem'), opensslFingerprint('ca.pem'), opensslFingerprint('client.pem')]);
    expect(material.certificates[0]?.fingerprint256).toBe(opensslFingerprint('client2.pem'));
    expect(details.warnings).toEqual([
      {
        code: 'SEVERAL_END_ENTITY_CERTIFICATES',
        message:
          `"bytes.bin" holds 2 end-entity certificates ("${CLIENT2}", "${CLIENT}"): "${CLIENT2}", the first of them, is used as the client certificate. ` +
          'To use another, load its key under Key (the certificate the key belongs to is then used), or keep only that certificate and its CA chain in the file.',
      },
    ]);
  });

  it('with the key loaded under Key, takes the certificate holding it as the leaf, followed by its CA', () => {
    const { details, material } = withKeyUnder(twoClients(), pairedKey('client.key'));
    expect(fingerprints(details)).toEqual([opensslFingerprint('client.pem'), opensslFingerprint('ca.pem'), opensslFingerprint('client2.pem')]);
    expect(material.certificates[0]?.fingerprint256).toBe(opensslFingerprint('client.pem'));
    expect(details.certificates[0]?.publicKeySha256).toBe(pairedKey('client.key').privateKey?.publicKeySha256);
    expect(details.warnings).toEqual([]);
    expect(fingerprints(withKeyUnder(twoClients(), pairedKey('client2.key')).details)[0]).toBe(opensslFingerprint('client2.pem'));
  });

  it('refuses a key under Key that none of them holds, listing them and saying what to do', () => {
    const error = expectCode(() => withKeyUnder(twoClients(), pairedKey('untrusted-client.key')), 'PKI_KEY_MISMATCH');
    expect(error.message).toBe(
      `"two-clients.pem" holds 2 end-entity certificates ("${CLIENT2}", "${CLIENT}"), and none of them belongs to the private key in "untrusted-client.key" (Key): ` +
        'load under Cert the certificate issued with that key, or load under Key the key of one of these certificates.',
    );
  });

  it('leaves a lone end-entity certificate that does not hold the key under Key to the caller', () => {
    const { details } = withKeyUnder(Buffer.concat([pkiBytes('ca.pem'), pkiBytes('client.pem')]), pairedKey('client2.key'));
    expect(fingerprints(details)).toEqual([opensslFingerprint('client.pem'), opensslFingerprint('ca.pem')]);
    expect(details.warnings).toEqual([]);
  });

  it('in one PEM file with its key, takes the key\'s certificate, and refuses a key that none of them holds', () => {
    const { details } = parse('clientCert', 'pem', Buffer.concat([twoClients(), pkiBytes('client.key')]));
    expect(fingerprints(details)).toEqual([opensslFingerprint('client.pem'), opensslFingerprint('ca.pem'), opensslFingerprint('client2.pem')]);
    expect(details.warnings).toEqual([]);
    const error = expectCode(() => parse('clientCert', 'pem', Buffer.concat([twoClients(), pkiBytes('untrusted-client.key')])), 'PKI_KEY_MISMATCH');
    expect(error.message).toBe(
      `"bytes.bin" holds 2 end-entity certificates ("${CLIENT2}", "${CLIENT}"), and none of them belongs to the private key in the file: export the certificate and its own key together.`,
    );
  });

  it('in a PKCS#12 file with its key, takes the key\'s certificate wherever the file lists it', () => {
    const password = pkiPassword();
    const p12 = pkcs12Of([pkiPath('client2.pem'), pkiPath('ca.pem'), pkiPath('client.pem')], pkiPath('client.key'), password);
    const { details, material } = parse('clientCert', 'p12', p12, password);
    expect(fingerprints(details)).toEqual([opensslFingerprint('client.pem'), opensslFingerprint('ca.pem'), opensslFingerprint('client2.pem')]);
    expect(material.privateKey && material.certificates[0]?.checkPrivateKey(material.privateKey)).toBe(true);
    expect(warningCodes(details)).toEqual(['LEGACY_PKCS12']); // node-forge writes a SHA-1 MAC
    const noneHolds = pkcs12Of([pkiPath('client2.pem'), pkiPath('ca.pem'), pkiPath('client.pem')], pkiPath('untrusted-client.key'), password);
    expect(expectCode(() => parse('clientCert', 'p12', noneHolds, password), 'PKI_KEY_MISMATCH').message).toMatch(
      /^"bytes\.bin" holds 2 end-entity certificates \(.*kmip-console-test-2.*\), and none of them belongs to the private key in the file/,
    );
    const twoClientsFile = scratchFile('two-clients.pem');
    writeFileSync(twoClientsFile, twoClients());
    const withoutKey = parse('clientCert', 'p12', exportPkcs12(['-nokeys', '-in', twoClientsFile], password), password).details;
    expect(warningCodes(withoutKey)).toEqual(['SEVERAL_END_ENTITY_CERTIFICATES']);
  });

  it('in Server Cert, says which one is pinned', () => {
    const { details } = parse('serverCert', 'pem', Buffer.concat([pkiBytes('server-wronghost.pem'), pkiBytes('server.pem')]));
    expect(details.certificates[0]?.subject).toContain('CN=wrong.example');
    expect(details.warnings).toEqual([
      {
        code: 'SEVERAL_END_ENTITY_CERTIFICATES',
        message: expect.stringMatching(/^"bytes\.bin" holds 2 end-entity certificates .*: "O=kmip-console tests, CN=wrong\.example", the first of them, is pinned, so the server must present that one/),
      },
    ]);
  });
});

describe('wrong format and damaged files', () => {
  it('detects a P12 loaded as PEM and a PEM loaded as P12', () => {
    expect(expectCode(() => parse('clientCert', 'pem', 'client.p12'), 'PKI_WRONG_FORMAT').message).toMatch(/choose Format "P12"/);
    expect(expectCode(() => parse('clientCert', 'p12', 'client.pem', 'x'), 'PKI_WRONG_FORMAT').message).toMatch(/choose Format "PEM"/);
  });

  it('detects a DER certificate and says how to convert it', () => {
    const der = readFileSync(derFile());
    expect(expectCode(() => parse('clientCert', 'pem', der), 'PKI_WRONG_FORMAT').message).toMatch(/openssl x509 -inform der/);
    expect(expectCode(() => parse('clientCert', 'p12', der), 'PKI_WRONG_FORMAT').message).toMatch(/DER-encoded/);
  });

  it('detects a DER private key (PKCS#1, PKCS#8, encrypted PKCS#8) and says how to convert it', () => {
    const rsaDer = scratchFile('client.key.der');
    openssl(['pkey', '-in', pkiPath('client.key'), '-outform', 'der', '-out', rsaDer]);
    const pkcs8Der = scratchFile('client.pk8.der');
    openssl(['pkcs8', '-topk8', '-nocrypt', '-in', pkiPath('client.key'), '-outform', 'der', '-out', pkcs8Der]);
    const encryptedDer = scratchFile('client.enc.der');
    openssl(['pkcs8', '-topk8', '-in', pkiPath('client.key'), '-passout', `file:${pkiPath('password.txt')}`, '-outform', 'der', '-out', encryptedDer]);
    for (const file of [rsaDer, pkcs8Der, encryptedDer]) {
      const der = readFileSync(file);
      const asPem = expectCode(() => parse('clientKey', 'pem', der), 'PKI_WRONG_FORMAT').message;
      expect(asPem).toBe('"bytes.bin" is a DER-encoded private key, not PEM: convert it (openssl pkey -inform der -in "bytes.bin" -out key.pem) and load the PEM file.');
      expect(expectCode(() => parse('clientKey', 'p12', der), 'PKI_WRONG_FORMAT').message).toMatch(/DER-encoded private key, not PKCS#12: .*openssl pkey -inform der/);
    }
  });

  it('reports truncated and garbled files as corrupted', () => {
    const pem = pkiBytes('client.pem');
    expectCode(() => parse('clientCert', 'pem', pem.subarray(0, pem.length / 2)), 'PKI_CORRUPTED');
    const garbled = Buffer.from(pem.toString('utf8').replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA'));
    expectCode(() => parse('clientCert', 'pem', garbled), 'PKI_CORRUPTED');
    const p12 = pkiBytes('client.p12');
    expectCode(() => parse('clientCert', 'p12', p12.subarray(0, p12.length - 200), pkiPassword()), 'PKI_CORRUPTED');
    expectCode(() => parse('clientCert', 'p12', Buffer.from('not a certificate at all\n')), 'PKI_CORRUPTED');
    expectCode(() => parse('clientCert', 'pem', Buffer.from([0x00, 0x01, 0x02, 0xff])), 'PKI_CORRUPTED');
  });

  it('says an empty file is empty, in either format', () => {
    for (const format of ['pem', 'p12'] as const) {
      expect(expectCode(() => parse('clientCert', format, Buffer.alloc(0)), 'PKI_CORRUPTED').message).toMatch(/^"[^"]+" is empty \(0 bytes\): choose the certificate or key file itself/);
    }
  });

  it('refuses a CSR, a key in a certificate slot and a certificate in a key slot', () => {
    const csr = Buffer.from(openssl(['req', '-new', '-key', pkiPath('client.key'), '-subj', '/CN=csr']));
    expect(expectCode(() => parse('clientCert', 'pem', csr), 'PKI_NO_CERTIFICATE').message).toMatch(/signing request/);
    expect(expectCode(() => parse('clientCert', 'pem', 'client.key'), 'PKI_NO_CERTIFICATE').message).toMatch(/load it under Key/);
    expectCode(() => parse('serverKey', 'pem', 'server.pem'), 'PKI_NO_PRIVATE_KEY');
  });
});

function derFile(): string {
  const file = path.join(scratch, 'client.der');
  openssl(['x509', '-in', pkiPath('client.pem'), '-outform', 'der', '-out', file]);
  return file;
}

describe('validity and usage', () => {
  it('refuses an expired or not-yet-valid client certificate', () => {
    expect(expectCode(() => parse('clientCert', 'pem', 'client-expired.pem'), 'PKI_CERT_EXPIRED').message).toMatch(/expired on 2021-01-01.*renewed/);
    expect(expectCode(() => parse('clientCert', 'pem', 'client-notyetvalid.pem'), 'PKI_CERT_NOT_YET_VALID').message).toMatch(/clock/);
  });

  it('only warns about an expired pinned server certificate', () => {
    const { details } = parse('serverCert', 'pem', 'server-expired.pem');
    expect(details.warnings.map((w) => w.code)).toEqual(['CERT_EXPIRED']);
  });

  it('warns when the client certificate expires within 30 days', () => {
    const notAfter = Date.parse(parse('clientCert', 'pem', 'client.pem').details.certificates[0]?.notAfter ?? '');
    const soon = parse('clientCert', 'pem', 'client.pem', undefined, new Date(notAfter - 10 * 86_400_000 - 1000));
    expect(soon.details.warnings).toEqual([expect.objectContaining({ code: 'CERT_EXPIRES_SOON', message: expect.stringContaining('10 day(s)') })]);
    const later = parse('clientCert', 'pem', 'client.pem', undefined, new Date(notAfter - 31 * 86_400_000));
    expect(later.details.warnings).toEqual([]);
  });

  it('warns when clientAuth is missing from the EKU, not when there is no EKU at all', () => {
    expect(parse('clientCert', 'pem', 'client-noclientauth.pem').details.warnings.map((w) => w.code)).toEqual(['NO_CLIENT_AUTH_EKU']);
    expect(parse('clientCert', 'pem', 'client-noeku.pem').details.warnings).toEqual([]);
    expect(parse('clientCert', 'pem', 'client-noeku.pem').details.certificates[0]?.extendedKeyUsage).toBeNull();
  });
});

describe('reading files', () => {
  it('refuses files above the size cap before parsing', async () => {
    const big = path.join(scratch, 'big.pem');
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 0x41));
    const error = await loadCredentialFile({ slot: 'caCert', format: 'pem', path: big }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PkiError);
    expect((error as PkiError).code).toBe('PKI_FILE_TOO_LARGE');
    expect((error as PkiError).message).toContain('big.pem');
  });

  it('reports missing files and folders as unreadable, naming them', async () => {
    const missing = path.join(scratch, 'nope.pem');
    const folder = path.join(scratch, 'folder');
    mkdirSync(folder);
    for (const target of [missing, folder]) {
      const error = await loadCredentialFile({ slot: 'caCert', format: 'pem', path: target }).catch((e: unknown) => e);
      expect((error as PkiError).code).toBe('PKI_UNREADABLE');
      expect((error as PkiError).message).toContain(target);
    }
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without blocking on it', async () => {
    const fifo = path.join(scratch, 'pipe.pem');
    execFileSync('mkfifo', [fifo]);
    const error = await loadCredentialFile({ slot: 'caCert', format: 'pem', path: fifo }).catch((e: unknown) => e);
    expect((error as PkiError).code).toBe('PKI_UNREADABLE');
    expect((error as PkiError).message).toMatch(/not a regular file/);
  });

  it('loads from a path and returns the bytes for the protected copy', async () => {
    const loaded = await loadCredentialFile({ slot: 'clientCert', format: 'p12', path: pkiPath('client.p12'), password: pkiPassword() });
    expect(loaded.details.sourceName).toBe('client.p12');
    expect(loaded.bytes.equals(pkiBytes('client.p12'))).toBe(true);
  });

  it('never puts key material or the password into the details', () => {
    const { details } = parse('clientCert', 'p12', 'client.p12', pkiPassword());
    const text = JSON.stringify(details);
    expect(text).not.toContain(pkiPassword());
    expect(text).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);
  });
});
