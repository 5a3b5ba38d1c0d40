// Revisions: fingerprints of what a window showed, which its requests send back (SettingsView.settingsRevision,
// and each field's revision in field-revision.ts).
//
// Which settings a window showed when it asked for Apply, Revert or Reset. Another window or a
// kmip-console command may have saved others since, or applied them: acting on those would apply, or
// drop, changes the operator never saw (Revert installs the applied settings, so they count too), so
// the request names the revision it saw and is refused when it is stale.
import { createHash } from 'node:crypto';
import { canonicalJson, type Settings } from '../../common/settings';
import { SettingsError } from './errors';

/**
 * A short fingerprint of any settings value (secrets appear in settings as markers only): 22 characters of
 * base64url, which is all the IPC schema accepts as a revision (common/ipc.ts RevisionSchema).
 */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 22);
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
    `The settings were changed outside this window since it showed them (saved or applied in another window or by a kmip-console command), so nothing was ${done}. ` +
      'The window shows them now: check them, then try again.',
  );
}
