// What the commands work with: the data folder, the settings repository, the keychain, and the
// connection options built from pending or applied settings.
import type { Settings } from '../../common/settings';
import { ensureFolder } from '../files';
import type { KmipClientOptions } from '../kmip';
import { KeychainSecretStore, type SecretStore } from '../secrets';
import { SettingsRepository } from '../settings';
import { keychainUnlockKeys, type LocalUnlockKeys } from '../store';
import type { ParsedArgs } from './args';
import type { CliIo } from './command';
import { resolveDataDir } from './data-dir';
import { CliError } from './errors';
import { PASSWORD_ENV } from './secret-env';

export interface CliContext {
  io: CliIo;
  json: boolean;
  dataDir: string;
  secrets: SecretStore;
  settings: SettingsRepository;
  unlockKeys: LocalUnlockKeys;
}

export async function createContext(io: CliIo, parsed: ParsedArgs): Promise<CliContext> {
  const dataDir = resolveDataDir(parsed.dataDirOption, io.env);
  await ensureFolder(dataDir, 'data folder');
  const secrets = new KeychainSecretStore();
  return {
    io,
    json: parsed.json,
    dataDir,
    secrets,
    settings: new SettingsRepository({ dataDir, secrets }),
    unlockKeys: keychainUnlockKeys(secrets),
  };
}

/**
 * The pending or applied settings and the KMIP client options they give. The KMIP password may be
 * given for this run in KMIP_CONSOLE_PASSWORD (it then overrides the keychain entry, without storing it).
 */
export async function connectionFor(
  context: CliContext,
  stage: 'pending' | 'applied',
): Promise<{ settings: Settings; connection: KmipClientOptions }> {
  const settings = stage === 'pending' ? await context.settings.loadPending() : await context.settings.loadApplied();
  if (!settings) {
    throw new CliError('NOT_APPLIED', `No applied settings in ${context.dataDir}: set them with \`kmip-console settings set\`, then run \`kmip-console apply\`.`);
  }
  const secrets = await context.settings.resolveSecrets(stage);
  const password = context.io.env[PASSWORD_ENV];
  if (password) secrets.password = password;
  const connection = await context.settings.kmipClientOptions(settings, secrets);
  return { settings, connection };
}
