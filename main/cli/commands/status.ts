// `kmip-console status`: settings and store at a glance.
import { changedFieldIds, FIELDS } from '../../../common/settings';
import { recoveryState } from '../../eks';
import { SecretStoreError } from '../../secrets';
import { readStoreHeader, storeFilePath } from '../../store';
import { defineCommand } from '../define-command';
import { ExitCode } from '../exit-codes';
import { writeResult } from '../output';

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'show the applied settings, pending changes, and whether the store unlocks',
  usage: `Usage: kmip-console status [--data-dir DIR] [--json]

Without the OS keychain the settings are still shown; whether the store unlocks cannot be told.
Exit: 0 the store unlocks (or there is none yet), 1 the store needs recovery, 5 the OS keychain is
unavailable.`,
  action: {
    async run(context) {
      const view = await context.settings.view();
      const store = await recoveryState(context.dataDir, context.unlockKeys).catch((error: unknown) => {
        if (!(error instanceof SecretStoreError)) throw error;
        return { state: 'keychain-unavailable' as const, reason: error.message };
      });
      const header = store.state === 'no-store' ? null : (await readStoreHeader(storeFilePath(context.dataDir)).catch(() => null))?.header ?? null;
      const applied = view.applied;
      const changes = changedFieldIds(view.pending, applied).map((id) => FIELDS[id].label);
      const result = {
        dataDir: context.dataDir,
        settings: {
          applied: applied !== null,
          server: applied ? { name: applied.serverName, host: applied.hostName, port: applied.port } : null,
          pendingChanges: changes,
        },
        store: { ...store, adminKey: header?.adminKey ?? null },
      };
      const lines = [
        `data folder: ${context.dataDir}`,
        applied ? `applied settings: ${applied.serverName} at ${applied.hostName}:${applied.port}` : 'applied settings: none (run apply)',
        `pending changes${applied ? '' : ' (never applied)'}: ${changes.length > 0 ? changes.join(', ') : 'none'}`,
        store.state === 'ok'
          ? `store: ${store.storeId}, unlocks; Admin Key generation ${store.adminKeyGeneration}` +
            (header?.adminKey ? ` "${header.adminKey.name}" on ${header.adminKey.server.host}:${header.adminKey.server.port}` : ' (never applied)')
          : store.state === 'no-store'
            ? 'store: none yet'
            : store.state === 'keychain-unavailable'
              ? `store: cannot tell whether it unlocks: ${store.reason}`
              : `store: NEEDS RECOVERY: ${store.reason}`,
      ];
      writeResult(context.io, context.json, result, lines.join('\n'));
      if (store.state === 'keychain-unavailable') return ExitCode.SecretUnavailable;
      return store.state === 'needs-recovery' ? ExitCode.Failed : ExitCode.Ok;
    },
  },
});
