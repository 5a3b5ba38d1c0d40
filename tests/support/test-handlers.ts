// The real IPC handlers (main/app) over a data folder and a keychain stand-in, with the app's
// dependencies answered as a test without them needs: no file picker answers, no page listens, entropy
// at start never ends, the settings live in `dataDir`; `deps` says otherwise where a test needs it.
import { createIpcHandlers, type HandlerDeps } from '../../main/app/handlers';
import type { SecretStore } from '../../main/secrets';
import { SettingsRepository } from '../../main/settings';

export function testHandlers(dataDir: string, secrets: SecretStore, deps: Partial<HandlerDeps> = {}): ReturnType<typeof createIpcHandlers> {
  const { settings = new SettingsRepository({ dataDir, secrets }), ...others } = deps;
  return createIpcHandlers({
    dataDir,
    settings,
    secrets,
    pickFile: async () => null,
    pickSaveFile: async () => null,
    emitProgress: () => undefined,
    entropyAtStart: new Promise(() => {}),
    ...others,
  });
}
