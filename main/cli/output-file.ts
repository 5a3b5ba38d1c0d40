// A file a command writes where the operator named it (store backup FILE, settings export FILE).
import { assertReplaceable, pathExists } from '../files';
import { CliError } from './errors';

/**
 * Refuses `target` before anything is written: a folder, link or device as such (--force would not
 * help), then an existing file unless `force` says to replace it.
 */
export async function refuseExistingTarget(target: string, force: boolean, what: string): Promise<void> {
  await assertReplaceable(target, what);
  if (!force && (await pathExists(target))) {
    throw new CliError('FILE_EXISTS', `${target} exists: choose another file or add --force to replace it.`);
  }
}
