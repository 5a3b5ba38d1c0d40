// Which pending settings a window showed when it asked for Apply, Revert or Reset. Another window or a
// kmip-console command may have saved others since: acting on those would apply, or drop, changes the
// operator never saw, so the request names the revision it saw and is refused when it is stale.
import { createHash } from 'node:crypto';
import type { Settings } from '../../common/settings';
import { SettingsError } from './errors';

/** Objects with their keys sorted: the same settings give the same text, whatever order they were built in. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A short fingerprint of `pending` (the settings as the file holds them, secrets as markers only). */
export function pendingRevision(pending: Settings): string {
  return createHash('sha256').update(JSON.stringify(pending, sortedKeys)).digest('base64url').slice(0, 22);
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
