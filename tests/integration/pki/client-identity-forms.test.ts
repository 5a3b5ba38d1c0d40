// Every form of client identity Load File accepts gives a working TLS + KMIP connection to PyKMIP:
// the details shown offline and what the TLS stack gets are the same certificate and key.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { FileFormat, FileSlotId } from '../../../common/pki-types';
import { SECRET_IDS } from '../../../common/settings';
import { KmipClient } from '../../../main/kmip';
import { SettingsRepository } from '../../../main/settings';
import { KeychainSecretStore, secretAccount } from '../../../main/secrets';
import { scratchDir } from '../../support/scratch-dirs';
import { describeWithServices, requireServices } from '../../support/services';
import { pkcs12Of } from '../../unit/pki/test-pki';

interface IdentityForm {
  name: string;
  cert: { file: keyof ReturnType<typeof requireServices>['pki']; format: FileFormat; encrypted?: boolean };
  key?: { file: keyof ReturnType<typeof requireServices>['pki']; format: FileFormat; encrypted?: boolean };
}

const forms: IdentityForm[] = [
  { name: 'PEM certificate + PEM key', cert: { file: 'clientCert', format: 'pem' }, key: { file: 'clientKey', format: 'pem' } },
  { name: 'PEM certificate + encrypted PKCS#8 key', cert: { file: 'clientCert', format: 'pem' }, key: { file: 'clientEncryptedKey', format: 'pem', encrypted: true } },
  { name: 'PEM certificate + encrypted traditional key', cert: { file: 'clientCert', format: 'pem' }, key: { file: 'clientEncryptedTraditionalKey', format: 'pem', encrypted: true } },
  { name: 'modern PKCS#12 (AES)', cert: { file: 'clientP12', format: 'p12', encrypted: true } },
  { name: 'legacy PKCS#12 (RC2-40)', cert: { file: 'clientLegacyP12', format: 'p12', encrypted: true } },
  { name: 'PEM certificate + key taken from a PKCS#12', cert: { file: 'clientCert', format: 'pem' }, key: { file: 'clientP12', format: 'p12', encrypted: true } },
];

interface LoadedPart {
  slot: FileSlotId;
  format: FileFormat;
  path: string;
  password?: string;
}

describeWithServices('client identity forms against PyKMIP', () => {
  const secrets = new KeychainSecretStore(`kmip-console-test-${randomBytes(4).toString('hex')}`);
  const profiles: string[] = [];
  afterAll(async () => {
    for (const profile of profiles) {
      for (const stage of ['pending', 'applied'] as const) for (const id of SECRET_IDS) await secrets.delete(secretAccount(profile, stage, id));
    }
  });

  /** Loads the CA and `parts`, applies, and runs a KMIP request over the resulting connection. */
  async function connectWith(parts: LoadedPart[]): Promise<void> {
    const services = requireServices();
    const profile = `forms-${profiles.length}`;
    profiles.push(profile);
    const repo = new SettingsRepository({ dataDir: scratchDir('kmip-forms-'), secrets, profile });
    await repo.saveField('serverName', 'PyKMIP');
    await repo.saveField('hostName', services.host);
    await repo.saveField('port', services.port);
    await repo.loadFile({ slot: 'caCert', format: 'pem', path: services.pki.caCert });
    for (const part of parts) await repo.loadFile(part);
    const view = await repo.commitApply(await repo.loadPending());
    const applied = view.applied;
    if (!applied) throw new Error('nothing applied');
    const options = await repo.kmipClientOptions(applied, await repo.resolveSecrets('applied'));
    const client = await KmipClient.connect(options);
    try {
      expect(client.tlsInfo.protocol).toMatch(/^TLSv1\.[23]$/);
      expect((await client.discoverVersions()).length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  }

  it.each(forms)('$name', async (form) => {
    const services = requireServices();
    const parts = ([['clientCert', form.cert], ['clientKey', form.key]] as const).flatMap(([slot, part]) =>
      part ? [{ slot, format: part.format, path: services.pki[part.file], ...(part.encrypted ? { password: services.pkiPassword } : {}) }] : [],
    );
    await connectWith(parts);
  });

  it('chain file with the CA first + PEM key (the client certificate is sent as the leaf)', async () => {
    const { pki } = requireServices();
    const chain = path.join(scratchDir('kmip-forms-chain-'), 'ca-first.pem');
    writeFileSync(chain, Buffer.concat([readFileSync(pki.caCert), readFileSync(pki.clientCert)]));
    await connectWith([
      { slot: 'clientCert', format: 'pem', path: chain },
      { slot: 'clientKey', format: 'pem', path: pki.clientKey },
    ]);
  });

  it('PEM file with another client certificate first, the CA and the key (the key\'s certificate is sent as the leaf)', async () => {
    const { pki } = requireServices();
    const identity = path.join(scratchDir('kmip-forms-two-clients-'), 'two-clients.pem');
    writeFileSync(identity, Buffer.concat([pki.client2Cert, pki.caCert, pki.clientCert, pki.clientKey].map((file) => readFileSync(file))));
    await connectWith([{ slot: 'clientCert', format: 'pem', path: identity }]);
  });

  it('PKCS#12 listing another client certificate before the key\'s own (the key\'s certificate is sent as the leaf)', async () => {
    const { pki, pkiPassword } = requireServices();
    const p12 = path.join(scratchDir('kmip-forms-two-clients-p12-'), 'two-clients.p12');
    writeFileSync(p12, pkcs12Of([pki.client2Cert, pki.caCert, pki.clientCert], pki.clientKey, pkiPassword));
    await connectWith([{ slot: 'clientCert', format: 'p12', path: p12, password: pkiPassword }]);
  });

  it('Cert file holding two client certificates, with the second one\'s key under Key, loaded before or after it', async () => {
    const { pki } = requireServices();
    const twoClients = path.join(scratchDir('kmip-forms-two-certs-'), 'two-clients.pem');
    writeFileSync(twoClients, Buffer.concat([pki.client2Cert, pki.caCert, pki.clientCert].map((file) => readFileSync(file))));
    const cert: LoadedPart = { slot: 'clientCert', format: 'pem', path: twoClients };
    const key: LoadedPart = { slot: 'clientKey', format: 'pem', path: pki.clientKey };
    await connectWith([cert, key]);
    await connectWith([key, cert]);
  });

  it('modern PKCS#12 (AES) with a non-ASCII password', async () => {
    const { pki } = requireServices();
    const dir = scratchDir('kmip-forms-utf8-');
    const password = 'pässwörd€😀';
    writeFileSync(path.join(dir, 'password.txt'), password, { mode: 0o600 });
    const p12 = path.join(dir, 'client.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-in', pki.clientCert, '-inkey', pki.clientKey, '-passout', `file:${path.join(dir, 'password.txt')}`, '-out', p12]);
    await connectWith([{ slot: 'clientCert', format: 'p12', path: p12, password }]);
  });
});
