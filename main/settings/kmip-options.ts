// Settings snapshot + its secrets + its stored files → the options KmipClient.connect() takes.
// Files are parsed again here (so an expired client certificate is refused at connect time too)
// and handed to TLS as PEM: that also covers legacy PKCS#12 files OpenSSL 3 no longer reads.
import type { FileSlotId } from '../../common/pki-types';
import { filePasswordSecretId, type Settings, type StoredFile } from '../../common/settings';
import { isKmipVersion, type KmipClientOptions } from '../kmip';
import { parseCredentialFile, publicKeySha256, type CredentialMaterial } from '../pki';
import { atSlot, SettingsError, whereToLoad } from './errors';
import { pairedKeyOf } from './paired-slots';
import type { SecretValues } from './repository';

/** Reads the stored copy of a slot's file (SettingsRepository.readStoredFile fits). */
export type StoredFileReader = (file: StoredFile, slot: FileSlotId) => Promise<Buffer>;

export interface KmipOptionsInput {
  settings: Settings;
  secrets: SecretValues;
  readFile: StoredFileReader;
  logger?: KmipClientOptions['logger'];
  now?: Date;
}

async function materialOf(input: KmipOptionsInput, slot: FileSlotId): Promise<CredentialMaterial | null> {
  const file = input.settings[slot];
  if (!file) return null;
  const bytes = await input.readFile(file, slot);
  const password = input.secrets[filePasswordSecretId(slot)];
  try {
    return parseCredentialFile({
      slot,
      format: file.format,
      bytes,
      sourceName: file.details.sourceName,
      ...(password !== undefined ? { password } : {}),
      ...(input.now ? { now: input.now } : {}),
      // TLS is given the key under Key: among several certificates, the one holding it is the leaf.
      pairedKey: pairedKeyOf(slot, input.settings),
    }).material;
  } catch (error) {
    throw atSlot(error, slot);
  }
}

function pemOf(material: CredentialMaterial): string {
  return material.certificates.map((cert) => cert.toString()).join('');
}

/**
 * The key under Key goes first, so a key left there from an earlier identity would hide the matching
 * key the file under Cert carries (a PKCS#12 file, or a PEM with its key), and TLS would then fail on a
 * mismatch that names only Key. Said at once instead, with the way out.
 */
function refuseStrayKey(clientCert: CredentialMaterial, clientKey: CredentialMaterial | null | undefined): void {
  const leaf = clientCert.certificates[0];
  const slotKey = clientKey?.privateKey;
  const ownKey = clientCert.privateKey;
  if (!leaf || !slotKey || !ownKey) return;
  const leafKey = publicKeySha256(leaf.publicKey);
  if (publicKeySha256(slotKey) === leafKey || publicKeySha256(ownKey) !== leafKey) return;
  throw new SettingsError(
    'VALIDATION_FAILED',
    `The key under Key does not belong to the client certificate under Cert, but the file under Cert carries its own key, which does. ` +
      "Clear Key to use the file's own key (in the app: Advanced › Key, Clear; on the command line: kmip-console settings clear clientKey), " +
        `or load the key that belongs to the certificate (${whereToLoad('clientKey')}).`,
    { field: 'clientKey' },
  );
}

export async function toKmipClientOptions(input: KmipOptionsInput): Promise<KmipClientOptions> {
  const { settings } = input;
  if (settings.hostName === '') {
    throw new SettingsError('VALIDATION_FAILED', 'Host Name is not set: enter the EKS host name and Save.', { field: 'hostName' });
  }
  const [clientCert, clientKey, caCert, serverCert] = await Promise.all(
    (['clientCert', 'clientKey', 'caCert', 'serverCert'] as const).map((slot) => materialOf(input, slot)),
  );

  const tls: KmipClientOptions['tls'] = {};
  if (clientCert) {
    refuseStrayKey(clientCert, clientKey);
    const key = clientKey?.privateKey ?? clientCert.privateKey;
    if (!key) {
      throw new SettingsError('VALIDATION_FAILED', `The client certificate has no private key: load its key (${whereToLoad('clientKey')}).`, { field: 'clientKey' });
    }
    // In memory only, for the TLS context of this process.
    tls.clientCert = { kind: 'pem', cert: pemOf(clientCert), key: key.export({ type: 'pkcs8', format: 'pem' }) };
  }
  if (caCert) tls.caCerts = Buffer.from(pemOf(caCert));
  const pinned = serverCert?.certificates[0];
  if (pinned) tls.pinnedServerCert = Buffer.from(pinned.toString());
  if (settings.ciphers !== '') tls.ciphers = settings.ciphers;

  const options: KmipClientOptions = {
    host: settings.hostName,
    port: settings.port,
    timeoutMs: settings.timeout * 1000,
    verify: settings.verify,
    pipelined: settings.nbio === 1,
    autoReconnect: settings.autoReconnect === 1,
    protocol: settings.protocol === 'auto' || !isKmipVersion(settings.protocol) ? 'auto' : settings.protocol,
    tls,
  };
  if (settings.username !== '') {
    options.credentials = {
      username: settings.username,
      ...(input.secrets.password !== undefined ? { password: input.secrets.password } : {}),
    };
  }
  if (input.logger) options.logger = input.logger;
  return options;
}
