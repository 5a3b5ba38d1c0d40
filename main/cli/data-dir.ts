// Where the app keeps its data (settings, copied certificate files, the store): the folder Electron
// names app.getPath('userData') for the product "kmip-console", so the CLI and the app share it.
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from './args';

const APP_FOLDER = 'kmip-console';

/** --data-dir, else $KMIP_CONSOLE_DATA_DIR, else the app's data folder for this platform. */
export function resolveDataDir(option: string | undefined, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  // `--data-dir "$DIR"` with DIR unset must not quietly act on the default data folder.
  if (option !== undefined && option.trim() === '') throw new UsageError('--data-dir is empty: give the path of the data folder, or leave the option out for the default one.');
  if (option) return path.resolve(option);
  // Likewise `export KMIP_CONSOLE_DATA_DIR=$DIR` with DIR unset.
  const fromEnv = env.KMIP_CONSOLE_DATA_DIR;
  if (fromEnv !== undefined && fromEnv.trim() === '') {
    throw new UsageError('KMIP_CONSOLE_DATA_DIR is set but empty: give it the path of the data folder, or unset it for the default one.');
  }
  if (fromEnv) return path.resolve(fromEnv);
  const home = env.HOME || homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_FOLDER);
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP_FOLDER);
}
