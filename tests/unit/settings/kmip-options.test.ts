import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSIONS } from '../../../common/settings';
import { KMIP_VERSIONS } from '../../../main/kmip';
import { SettingsRepository, toKmipClientOptions } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { pkiPassword, pkiPath, testPkiDir } from '../pki/test-pki';
import { MemorySecretStore } from './memory-secret-store';

beforeAll(() => {
  testPkiDir();
}, 120_000);

function newRepo(): SettingsRepository {
  return new SettingsRepository({ dataDir: scratchDir('kmip-options-'), secrets: new MemorySecretStore() });
}

async function optionsOf(repo: SettingsRepository) {
  const settings = await repo.loadPending();
  return toKmipClientOptions({ settings, secrets: await repo.resolveSecrets('pending'), readFile: (file, slot) => repo.readStoredFile(file, slot) });
}

describe('toKmipClientOptions', () => {
  it('maps the Basic and Credentials fields', async () => {
    const repo = newRepo();
    await repo.saveField('hostName', 'kms.example.com');
    await repo.saveField('port', 15696);
    await repo.saveField('timeout', 12);
    await repo.saveField('nbio', 1);
    await repo.saveField('autoReconnect', 0);
    await repo.saveField('verify', false);
    await repo.saveField('protocol', '1.2');
    await repo.saveField('ciphers', 'ECDHE+AESGCM');
    await repo.saveField('username', 'admin');
    await repo.saveField('password', 'pw-1');
    expect(await optionsOf(repo)).toEqual({
      host: 'kms.example.com',
      port: 15696,
      timeoutMs: 12_000,
      pipelined: true,
      autoReconnect: false,
      verify: false,
      protocol: '1.2',
      credentials: { username: 'admin', password: 'pw-1' },
      tls: { ciphers: 'ECDHE+AESGCM' },
    });
  });

  it('sends no credential without a Username, and defaults to auto negotiation', async () => {
    const repo = newRepo();
    await repo.saveField('hostName', '::1');
    const options = await optionsOf(repo);
    expect(options.credentials).toBeUndefined();
    expect(options).toMatchObject({ host: '::1', port: 5696, timeoutMs: 30_000, protocol: 'auto', verify: true, tls: {} });
  });

  it('hands a legacy P12 client identity, the CA bundle and the pin to TLS as PEM', async () => {
    const repo = newRepo();
    await repo.saveField('hostName', '127.0.0.1');
    await repo.loadFile({ slot: 'clientCert', format: 'p12', path: pkiPath('client-legacy.p12'), password: pkiPassword() });
    await repo.loadFile({ slot: 'caCert', format: 'pem', path: pkiPath('ca-bundle.pem') });
    await repo.loadFile({ slot: 'serverCert', format: 'pem', path: pkiPath('server.pem') });
    const { tls } = await optionsOf(repo);
    if (tls.clientCert?.kind !== 'pem') throw new Error('expected a PEM client credential');
    const leaf = new X509Certificate(tls.clientCert.cert);
    expect(leaf.fingerprint256).toBe(new X509Certificate(readFileSync(pkiPath('client.pem'))).fingerprint256);
    expect(leaf.checkPrivateKey(createPrivateKey(tls.clientCert.key))).toBe(true);
    expect(tls.caCerts?.toString()).toMatch(/(-----BEGIN CERTIFICATE-----[\s\S]*?){2}/);
    expect(new X509Certificate(tls.pinnedServerCert ?? '').fingerprint256).toBe(new X509Certificate(readFileSync(pkiPath('server.pem'))).fingerprint256);
  });

  it("refuses a key under Key that does not belong to the certificate when the file under Cert carries the key that does, saying to clear Key", async () => {
    const repo = newRepo();
    await repo.saveField('hostName', '127.0.0.1');
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client2.key') });
    await repo.loadFile({ slot: 'clientCert', format: 'p12', path: pkiPath('client.p12'), password: pkiPassword() });
    const error = await optionsOf(repo).then(
      () => null,
      (e: unknown) => e as { code: string; field: string; message: string },
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'clientKey' });
    expect(error?.message).toMatch(/the file under Cert carries its own key, which does\. Clear Key to use the file's own key .*settings clear clientKey/);
    // Its own key alone, or the matching key under Key, is used as before.
    await repo.clearFile('clientKey');
    expect((await optionsOf(repo)).tls.clientCert).toMatchObject({ kind: 'pem' });
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client.key') });
    expect((await optionsOf(repo)).tls.clientCert).toMatchObject({ kind: 'pem' });
  });

  it('uses the Key slot with a PEM certificate, decrypting it with the stored password', async () => {
    const repo = newRepo();
    await repo.saveField('hostName', '127.0.0.1');
    await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pkiPath('client.pem') });
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: pkiPath('client-encrypted.key'), password: pkiPassword() });
    const { tls } = await optionsOf(repo);
    if (tls.clientCert?.kind !== 'pem') throw new Error('expected a PEM client credential');
    expect(new X509Certificate(tls.clientCert.cert).checkPrivateKey(createPrivateKey(tls.clientCert.key))).toBe(true);
  });

  it('refuses a client certificate without a key, naming the Key slot', async () => {
    const repo = newRepo();
    await repo.saveField('hostName', '127.0.0.1');
    await repo.loadFile({ slot: 'clientCert', format: 'pem', path: pkiPath('client.pem') });
    await expect(optionsOf(repo)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'clientKey' });
  });

  it('offers exactly the KMIP versions the client speaks, plus auto', () => {
    expect(PROTOCOL_VERSIONS.filter((v) => v !== 'auto').sort()).toEqual([...KMIP_VERSIONS].sort());
  });

  it('refuses settings without a Host Name', async () => {
    await expect(optionsOf(newRepo())).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'hostName' });
  });
});
