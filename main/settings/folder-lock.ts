// Serialises settings changes between processes (the app and a `kmip-console` CLI on the same data
// folder): an exclusive lock file holding the owner's pid. A lock left by a killed process is
// detected by its pid and taken over.
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessRunning } from '../store';
import { SettingsError } from './errors';

export const LOCK_FILE_NAME = 'settings.lock';
const WAIT_MS = 10_000;
const RETRY_MS = 50;
/** a lock file without a readable pid (crash between create and write) older than this is stale */
const UNREADABLE_LOCK_STALE_MS = 5_000;

async function ownerOf(file: string): Promise<{ pid: number | null; stale: boolean }> {
  try {
    const pid = Number.parseInt(await readFile(file, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0) return { pid, stale: !isProcessRunning(pid) };
    const age = Date.now() - (await stat(file)).mtimeMs;
    return { pid: null, stale: age > UNREADABLE_LOCK_STALE_MS };
  } catch {
    return { pid: null, stale: false }; // released meanwhile: just retry
  }
}

export async function withFolderLock<T>(dataDir: string, operation: () => Promise<T>, waitMs: number = WAIT_MS): Promise<T> {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const deadline = Date.now() + waitMs;
  let createdFolder = false;
  for (;;) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !createdFolder) {
        // First change in a new data folder.
        createdFolder = true;
        await mkdir(dataDir, { recursive: true, mode: 0o700 }).catch(() => undefined);
        continue;
      }
      if (code !== 'EEXIST') {
        throw new SettingsError(
          'SETTINGS_WRITE_FAILED',
          `The settings in ${dataDir} cannot be changed (${code ?? String(error)}): check that the folder exists and is writable.`,
          { cause: error },
        );
      }
      const owner = await ownerOf(file);
      if (owner.stale) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new SettingsError(
          'SETTINGS_BUSY',
          `The settings in ${dataDir} are being changed by another kmip-console process${owner.pid ? ` (pid ${owner.pid})` : ''}: ` +
            `wait for it to finish and try again; if no such process runs, delete ${file}.`,
        );
      }
      await sleep(RETRY_MS);
    }
  }
  try {
    return await operation();
  } finally {
    await rm(file, { force: true });
  }
}
