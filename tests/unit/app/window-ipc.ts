// The real IPC handlers over a data folder and an in-memory keychain, called as the renderer calls them
// (through dispatchIpc: schema checks and error mapping included). No file picker answers, no page
// listens and entropy at start never ends, unless `deps` says otherwise.
import type { IpcResult, SettingsView } from '../../../common/ipc';
import type { HandlerDeps } from '../../../main/app/handlers';
import { dispatchIpc } from '../../../main/app/ipc-dispatch';
import { testHandlers } from '../../support/test-handlers';
import type { MemorySecretStore } from '../settings/memory-secret-store';

export type WindowIpc = (channel: string, request: unknown) => Promise<IpcResult<unknown>>;

export function windowIpc(dataDir: string, secrets: MemorySecretStore, deps: Partial<HandlerDeps> = {}): WindowIpc {
  const handlers = testHandlers(dataDir, secrets, deps);
  return (channel, request) => dispatchIpc(handlers, channel, request);
}

/** The revision of the pending settings as saved now: what a window showing them sends with Apply, Revert, Reset and recovery. */
export async function shownRevision(ipc: WindowIpc): Promise<string> {
  const view = await ipc('settings:get', {});
  if (!view.ok) throw new Error(`settings:get failed: ${view.error.message}`);
  return (view.value as SettingsView).settingsRevision;
}
