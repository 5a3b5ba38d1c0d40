// A SettingsView as main answers with it (settings:get, and every change), for tests that answer in main's place.
import type { SettingsView } from '../../../common/ipc';
import type { Settings } from '../../../common/settings';
import { fieldRevisions } from '../../../main/settings/field-revision';
import { settingsRevision } from '../../../main/settings/revisions';

/** The view of these settings, with its revisions computed as main computes them. */
export function settingsView(pending: Settings, applied: Settings | null, dataDir = '/data'): SettingsView {
  return { pending, applied, dataDir, settingsRevision: settingsRevision(pending, applied), fieldRevisions: fieldRevisions(pending) };
}
