// Which pending settings a window showed when it asked for Apply, Revert or Reset. Another window or a
// kmip-console command may have saved others since: acting on those would apply, or drop, changes the
// operator never saw, so the request names the revision it saw and is refused when it is stale.
import { createHash } from 'node:crypto';
import type { Settings } from '../../common/settings';
import { SettingsError } from './errors';

/** A short fingerprint of `pending` (the settings as the file holds them, secrets as markers only). */
export function pendingRevision(pending: Settings): string {
  return createHash('sha256').update(JSON.stringify(pending)).digest('base64url').slice(0, 22);
}

/** Throws SETTINGS_CHANGED, saying that nothing was `done`, when `pending` is not the revision the window showed. */
export function assertPendingAsShown(pending: Settings, shownRevision: string | undefined, done: 'applied' | 'reverted' | 'reset'): void {
  if (shownRevision === undefined || pendingRevision(pending) === shownRevision) return;
  throw new SettingsError(
    'SETTINGS_CHANGED',
    `The pending settings were changed outside this window since it showed them (by another window or a kmip-console command), so nothing was ${done}. ` +
      'The window shows them now: check them, then try again.',
  );
}
