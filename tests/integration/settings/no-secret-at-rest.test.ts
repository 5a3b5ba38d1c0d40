// Saves every secret field through the real keychain, applies, connects to PyKMIP with the applied
// settings, and then looks for every secret in every file of the data folder and in every log line.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SECRET_IDS, type SecretId } from '../../../common/settings';
import { KmipClient } from '../../../main/kmip';
import { KeychainSecretStore, secretAccount } from '../../../main/secrets';
import { SettingsRepository, settingsFilePath } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { describeWithServices, requireServices } from '../../support/services';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describeWithServices('no secret at rest or in logs (real keychain, real PyKMIP)', () => {
  const profile = `it-${randomBytes(4).toString('hex')}`;
  const store = new KeychainSecretStore(`kmip-console-test-${randomBytes(4).toString('hex')}`);
  let dataDir: string;
  let work: string;
  let repo: SettingsRepository;
  const logs: string[] = [];
  const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
  const values: Record<SecretId, string> = {
    password: secret('kmip'),
    clientCertPassword: '',
    clientKeyPassword: secret('ckey'),
    caCertPassword: secret('ca'),
    serverCertPassword: secret('scert'),
    serverKeyPassword: secret('skey'),
  };

  /** Files protected with their own passwords; openssl reads each password from a file, never argv. */
  function protectedFiles(): Record<'clientKey' | 'caCert' | 'serverCert' | 'serverKey', string> {
    const { pki } = requireServices();
    const passFile = (id: SecretId) => {
      const file = path.join(work, `${id}.txt`);
      writeFileSync(file, values[id], { mode: 0o600 });
      return `file:${file}`;
    };
    const out = (name: string) => path.join(work, name);
    execFileSync('openssl', ['pkey', '-in', pki.clientKey, '-aes256', '-passout', passFile('clientKeyPassword'), '-out', out('client.key')]);
    execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', pki.caCert, '-passout', passFile('caCertPassword'), '-out', out('ca.p12')]);
    execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', pki.serverCert, '-passout', passFile('serverCertPassword'), '-out', out('server.p12')]);
    execFileSync('openssl', ['pkey', '-in', pki.serverKey, '-aes256', '-passout', passFile('serverKeyPassword'), '-out', out('server.key')]);
    return { clientKey: out('client.key'), caCert: out('ca.p12'), serverCert: out('server.p12'), serverKey: out('server.key') };
  }

  const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method));

  beforeAll(() => {
    values.clientCertPassword = requireServices().pkiPassword;
    dataDir = scratchDir('kmip-no-secret-');
    work = scratchDir('kmip-no-secret-files-');
    repo = new SettingsRepository({ dataDir, secrets: store, profile, log: (line) => logs.push(line) });
  });

  afterAll(async () => {
    for (const stage of ['pending', 'applied'] as const) {
      for (const revision of [0, 1]) for (const id of SECRET_IDS) await store.delete(secretAccount(profile, stage, id, revision));
    }
    for (const spy of consoleSpies) spy.mockRestore();
  });

  it('keeps every secret in the keychain only, through Save, Load File, Apply and a connection', async () => {
    const services = requireServices();
    const files = protectedFiles();
    await repo.saveField('serverName', 'PyKMIP lab');
    await repo.saveField('hostName', services.host);
    await repo.saveField('port', services.port);
    await repo.saveField('username', 'kmip-console-test');
    await repo.saveField('password', values.password);
    await repo.loadFile({ slot: 'clientCert', format: 'p12', path: services.pki.clientP12, password: values.clientCertPassword });
    await repo.loadFile({ slot: 'clientKey', format: 'pem', path: files.clientKey, password: values.clientKeyPassword });
    await repo.loadFile({ slot: 'caCert', format: 'p12', path: files.caCert, password: values.caCertPassword });
    await repo.loadFile({ slot: 'serverCert', format: 'p12', path: files.serverCert, password: values.serverCertPassword });
    await repo.loadFile({ slot: 'serverKey', format: 'pem', path: files.serverKey, password: values.serverKeyPassword });

    const view = await repo.commitApply(await repo.loadPending());
    expect(view.applied?.password.stored).toBe(true);
    // The first Apply writes the applied secrets as revision 1 (see SettingsRepository.switchStageSecrets).
    expect(JSON.parse(readFileSync(settingsFilePath(dataDir), 'utf8'))).toMatchObject({ pendingRevision: 0, appliedRevision: 1 });
    for (const id of SECRET_IDS) {
      expect(await store.get(secretAccount(profile, 'pending', id))).toBe(values[id]);
      expect(await store.get(secretAccount(profile, 'applied', id, 1))).toBe(values[id]);
    }

    // Connect with the applied settings: CA from a P12, pinned server certificate, client identity.
    const applied = view.applied;
    if (!applied) throw new Error('nothing applied');
    const options = await repo.kmipClientOptions(applied, await repo.resolveSecrets('applied'), {
      debug: (event, fields) => logs.push(`${event} ${JSON.stringify(fields)}`),
    });
    const client = await KmipClient.connect(options);
    try {
      expect(client.version).toMatch(/^[12]\.\d$/);
    } finally {
      await client.close();
    }

    // Nothing persisted or logged holds a secret, in text or hex.
    const haystacks = [
      ...filesUnder(dataDir).map((file) => ({ where: file, text: readFileSync(file).toString('latin1') })),
      { where: 'logs', text: logs.join('\n') },
      { where: 'console', text: consoleSpies.flatMap((spy) => spy.mock.calls.map((call) => call.map(String).join(' '))).join('\n') },
    ];
    expect(filesUnder(dataDir).length).toBeGreaterThanOrEqual(6);
    expect(logs.some((line) => line.startsWith('Saved Password'))).toBe(true);
    // The KMIP debug log dumped the request headers that carried the credential (redacted).
    const kmipLines = logs.filter((line) => !/^(Saved|Loaded|Applied)/.test(line));
    expect(kmipLines.some((line) => line.includes('Password'))).toBe(true);
    for (const { where, text } of haystacks) {
      for (const id of SECRET_IDS) {
        expect(text.includes(values[id]), `${id} found in ${where}`).toBe(false);
        expect(text.includes(Buffer.from(values[id]).toString('hex')), `${id} (hex) found in ${where}`).toBe(false);
      }
    }
    for (const file of filesUnder(dataDir)) expect(statSync(file).mode & 0o077, file).toBe(0);
  });
});
