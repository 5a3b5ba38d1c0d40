// Shared set-up of the secret-leakage sessions: random secret values, a credential file for every
// file slot protected by its own password (made with openssl, passwords passed as `file:` so they
// never reach argv), and the key material that must never be written out.
import { execFile } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Secret } from './leak-scan';
import type { PkiFiles } from './services';

const run = promisify(execFile);

export function randomSecret(label: string): Secret {
  return { label, value: Buffer.from(`${label}-${randomBytes(12).toString('hex')}`) };
}

export type SlotId = 'clientCert' | 'clientKey' | 'caCert' | 'serverCert' | 'serverKey';

export interface CredentialFile {
  slot: SlotId;
  format: 'pem' | 'p12';
  path: string;
  password: Secret;
}

export interface LeakFixtures {
  kmipPassword: Secret;
  files: CredentialFile[];
  /** Every secret value to search for: passwords and the plaintext private keys (DER). */
  secrets: Secret[];
}

/** Writes the five credential files into `dir`, each with its own random password. */
export async function credentialFiles(dir: string, pki: PkiFiles): Promise<LeakFixtures> {
  const kmipPassword = randomSecret('kmip-password');
  const passwordSource = async (secret: Secret): Promise<string> => {
    const file = path.join(dir, `${secret.label}.pass`);
    await writeFile(file, secret.value, { mode: 0o600 });
    return `file:${file}`;
  };
  const out = (name: string) => path.join(dir, name);
  const files: CredentialFile[] = [
    { slot: 'clientCert', format: 'p12', path: out('client.p12'), password: randomSecret('client-cert-p12-password') },
    { slot: 'clientKey', format: 'pem', path: out('client.key'), password: randomSecret('client-key-password') },
    { slot: 'caCert', format: 'p12', path: out('ca.p12'), password: randomSecret('ca-cert-p12-password') },
    { slot: 'serverCert', format: 'p12', path: out('server.p12'), password: randomSecret('server-cert-p12-password') },
    { slot: 'serverKey', format: 'pem', path: out('server.key'), password: randomSecret('server-key-password') },
  ];
  const [clientP12, clientKey, caP12, serverP12, serverKey] = files as [CredentialFile, CredentialFile, CredentialFile, CredentialFile, CredentialFile];
  await run('openssl', ['pkcs12', '-export', '-in', pki.clientCert, '-inkey', pki.clientKey, '-passout', await passwordSource(clientP12.password), '-out', clientP12.path]);
  await run('openssl', ['pkey', '-in', pki.clientKey, '-aes256', '-passout', await passwordSource(clientKey.password), '-out', clientKey.path]);
  await run('openssl', ['pkcs12', '-export', '-nokeys', '-in', pki.caCert, '-passout', await passwordSource(caP12.password), '-out', caP12.path]);
  await run('openssl', ['pkcs12', '-export', '-nokeys', '-in', pki.serverCert, '-passout', await passwordSource(serverP12.password), '-out', serverP12.path]);
  await run('openssl', ['pkey', '-in', pki.serverKey, '-aes256', '-passout', await passwordSource(serverKey.password), '-out', serverKey.path]);

  const privateKeyDer = async (label: string, keyPath: string): Promise<Secret> => ({
    label,
    value: createPrivateKey(await readFile(keyPath)).export({ format: 'der', type: 'pkcs8' }),
  });
  return {
    kmipPassword,
    files,
    secrets: [
      kmipPassword,
      ...files.map((file) => file.password),
      await privateKeyDer('client-private-key', pki.clientKey),
      await privateKeyDer('server-private-key', pki.serverKey),
    ],
  };
}
