// Secret leakage through the KMIP debug log and errors (issue 6 point 4, issue 2 point 5): with a
// debug logger attached, a session that authenticates with a password, unlocks an encrypted client
// key with a passphrase, and registers and reads back key material must log message dumps without
// any of those values; a wrong passphrase must not be echoed in the error either.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { KmipClient, type KmipClientOptions, type LogFields } from '../../../main/kmip';
import { LeakScanner, type Secret } from '../../support/leak-scan';
import { randomSecret } from '../../support/leak-session';
import { connectRefusal, describeWithServices, pykmipClientOptions, requireServices } from '../../support/services';

function options(keyPassphrase: string, logLines: string[]): KmipClientOptions {
  const { pki } = requireServices();
  const base = pykmipClientOptions({
    timeoutMs: 10_000,
    logger: { debug: (event: string, fields: LogFields) => logLines.push(`${event} ${JSON.stringify(fields)}`) },
  });
  return {
    ...base,
    tls: { ...base.tls, clientCert: { kind: 'pem', cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientEncryptedKey), keyPassphrase } },
  };
}

describeWithServices('KMIP debug log and errors keep secrets out', () => {
  it('a logged session shows the messages but no password, passphrase or key material', async () => {
    const { pkiPassword } = requireServices();
    const password = randomSecret('kmip-log-password');
    const symmetricKey: Secret = { label: 'registered-aes-key', value: randomBytes(32) };
    const secretData: Secret = { label: 'registered-secret-data', value: randomBytes(48) };
    const logLines: string[] = [];
    const client = await KmipClient.connect({
      ...options(pkiPassword, logLines),
      credentials: { username: 'log-user', password: password.value.toString() },
    });
    try {
      const key = await client.registerSymmetricKey({ key: symmetricKey.value, name: `log-key-${Date.now()}` });
      await client.activate(key.uniqueIdentifier);
      expect(Buffer.from((await client.get(key.uniqueIdentifier)).keyBytes).equals(symmetricKey.value)).toBe(true);
      const data = await client.registerSecretData({ data: secretData.value, name: `log-data-${Date.now()}` });
      expect(Buffer.from((await client.get(data.uniqueIdentifier)).keyBytes).equals(secretData.value)).toBe(true);
    } finally {
      await client.close();
    }

    const scanner = new LeakScanner([
      password,
      { label: 'client-key-passphrase', value: Buffer.from(pkiPassword) },
      symmetricKey,
      secretData,
    ]);
    expect(logLines.flatMap((line, i) => scanner.scan(`log line ${i}`, line))).toEqual([]);
    // The log did record the exchanges (so the scan had something to look at).
    expect(logLines.join('\n')).toMatch(/Register/);
    expect(logLines.join('\n')).toMatch(/log-user/);
  });

  it('a wrong key passphrase is reported without echoing it', async () => {
    const wrong = randomSecret('wrong-passphrase');
    const logLines: string[] = [];
    const transportError = await connectRefusal(options(wrong.value.toString(), logLines));
    expect(transportError.code).toBe('BAD_CLIENT_CREDENTIAL_FILE');
    const scanner = new LeakScanner([wrong]);
    expect([
      ...scanner.scan('error message', transportError.message),
      ...scanner.scan('error detail', transportError.detail ?? ''),
      ...scanner.scan('error stack', transportError.stack ?? ''),
      ...logLines.flatMap((line) => scanner.scan('log', line)),
    ]).toEqual([]);
  });
});
