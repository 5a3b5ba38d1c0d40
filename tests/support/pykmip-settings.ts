// Pending settings that pass Test and Apply against the PyKMIP server of the test services, as a window
// would have saved them: the e2e files that run Test or Apply start from these.
import type { SettingsRepository } from '../../main/settings';
import type { TestServices } from './services';

/** Saves them into `settings`; `clientKey: 'encrypted'` loads the client key as encrypted PEM, with its password. */
export async function savePykmipSettings(settings: SettingsRepository, services: TestServices, clientKey: 'plain' | 'encrypted' = 'plain'): Promise<void> {
  const { pki } = services;
  await settings.saveField('serverName', 'PyKMIP lab');
  await settings.saveField('hostName', services.host);
  await settings.saveField('port', services.port);
  await settings.saveField('timeout', 10);
  await settings.loadFile({ slot: 'clientCert', format: 'pem', path: pki.clientCert });
  await settings.loadFile(
    clientKey === 'encrypted'
      ? { slot: 'clientKey', format: 'pem', path: pki.clientEncryptedKey, password: services.pkiPassword }
      : { slot: 'clientKey', format: 'pem', path: pki.clientKey },
  );
  await settings.loadFile({ slot: 'caCert', format: 'pem', path: pki.caCert });
}
