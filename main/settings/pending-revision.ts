// Which settings a window showed when it asked for Apply, Revert or Reset. Another window or a
// kmip-console command may have saved others since, or applied them: acting on those would apply, or
// drop, changes the operator never saw (Revert installs the applied settings, so they count too), so
// the request names the revision it saw and is refused when it is stale.
import { createHash } from 'node:crypto';
import type { Settings } from '../../common/settings';
import { SettingsError } from './errors';

/** Objects with their keys sorted: the same settings give the same text, whatever order they were built in. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A short fingerprint of any settings value (secrets appear in settings as markers only). */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value, sortedKeys)).digest('base64url').slice(0, 22);
}

/**
 * The revision of what a window shows that Apply, Revert, Reset and recovery act on: the pending settings
 * (Apply and recovery apply them) and the applied ones (Revert installs them; an Apply made elsewhere
 * changes what the window's chips and change list say).
 */
export function settingsRevision(pending: Settings, applied: Settings | null): string {
  return fingerprint({ pending, applied });
}

/** Throws SETTINGS_CHANGED, saying that nothing was `done`, when the settings are not the revision the window showed. */
export function assertSettingsAsShown(
  settings: { pending: Settings; applied: Settings | null },
  shownRevision: string | undefined,
  done: 'applied' | 'reverted' | 'reset',
): void {
  if (shownRevision === undefined || settingsRevision(settings.pending, settings.applied) === shownRevision) return;
  throw new SettingsError(
    'SETTINGS_CHANGED',
    `The settings were changed outside this window since it showed them (saved or applied by another window or a kmip-console command), so nothing was ${done}. ` +
      'The window shows them now: check them, then try again.',
  );
}
