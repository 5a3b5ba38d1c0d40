// `kmip-console status`: settings and store at a glance.
import type { RecoveryState, SettingsView } from '../../../common/ipc';
import { changedFieldIds, FIELDS, verifyOffWarning, type Settings } from '../../../common/settings';
import { recoveryState } from '../../eks';
import { SecretStoreError } from '../../secrets';
import { readStoreHeader, storeFilePath, type AdminKeyRef } from '../../store';
import { defineCommand } from '../define-command';
import { ExitCode } from '../exit-codes';
import { writeResult } from '../output';

interface StageWarning {
  stages: Array<'applied' | 'pending'>;
  code: string;
  message: string;
}

/** Verify = no in the applied or pending settings; one entry when both say the same. */
function verifyOffWarnings(view: SettingsView): StageWarning[] {
  const warnings: StageWarning[] = [];
  for (const stage of ['applied', 'pending'] as const) {
    const settings = view[stage];
    const warning = settings && verifyOffWarning(settings);
    if (!warning) continue;
    const same = warnings.find((earlier) => earlier.message === warning.message);
    if (same) same.stages.push(stage);
    else warnings.push({ stages: [stage], code: warning.code, message: warning.message });
  }
  return warnings;
}

/** Whether `server` is the key server that `settings` connect to (host names compared without case). */
function sameServer(server: AdminKeyRef['server'], settings: Settings | null): boolean {
  return settings !== null && server.host.toLowerCase() === settings.hostName.toLowerCase() && server.port === settings.port;
}

/**
 * The store's Admin Key recorded on another key server than the applied settings name. Apply writes
 * the store, then applies its settings: when the key is on the pending settings' server, an Apply was
 * stopped in between (a second Ctrl-C, a kill; `unfinishedApply`: action needed); otherwise the store
 * was recovered through another address, possibly of the same server.
 */
function adminKeyElsewhere(
  adminKey: AdminKeyRef | null,
  applied: Settings | null,
  pending: Settings,
): { store: string; applied: string; unfinishedApply: boolean; message: string } | null {
  if (!adminKey || !applied || sameServer(adminKey.server, applied)) return null;
  const store = `${adminKey.server.host}:${adminKey.server.port}`;
  const settings = `${applied.hostName}:${applied.port}`;
  const unfinishedApply = sameServer(adminKey.server, pending);
  const where = `the store's Admin Key (generation ${adminKey.generation}) is on ${store}, but the applied settings connect to ${settings}`;
  return {
    store,
    applied: settings,
    unfinishedApply,
    message: unfinishedApply
      ? `${where}, the pending settings' server: an Apply did not finish (it was stopped after writing the store, before applying its settings). ` +
        'Run `kmip-console apply` again, so that the store and the applied settings name the same key server.'
      : `${where}: the store was recovered through another address. If both addresses reach the same key server, nothing is wrong; ` +
        'otherwise run `kmip-console apply`, so that the store and the applied settings name the same key server.',
  };
}

/** What the store check found: the recovery state, or that the OS keychain could not be asked. */
type StoreCheck = RecoveryState | { state: 'keychain-unavailable'; reason: string };

/**
 * The condition that makes `status` exit non-zero, with the code and message --json reports it
 * with; null for exit 0. Without the keychain, nothing is known of the store, so that comes first.
 */
function statusFailure(
  store: StoreCheck,
  keychainError: SecretStoreError | undefined,
  elsewhere: ReturnType<typeof adminKeyElsewhere>,
): { exitCode: ExitCode; code: string; message: string } | null {
  if (keychainError) {
    return { exitCode: ExitCode.SecretUnavailable, code: keychainError.code, message: `Cannot tell whether the store unlocks: ${keychainError.message}` };
  }
  if (store.state === 'needs-recovery') {
    return { exitCode: ExitCode.Failed, code: 'STORE_NEEDS_RECOVERY', message: `The store needs recovery: ${store.reason}` };
  }
  // A store missing after an Apply needs restoring as much as one that does not unlock.
  if (store.state === 'no-store' && store.reason !== undefined) return { exitCode: ExitCode.Failed, code: 'STORE_NOT_FOUND', message: store.reason };
  if (elsewhere?.unfinishedApply) return { exitCode: ExitCode.Failed, code: 'APPLY_UNFINISHED', message: elsewhere.message };
  return null;
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'show the applied settings, pending changes, and whether the store unlocks',
  usage: `Usage: kmip-console status [--data-dir DIR] [--json]

Without the OS keychain the settings are still shown; whether the store unlocks cannot be told.
Exit: 0 the store unlocks (or there is none yet), 1 the store needs recovery or is missing after an
apply, or its Admin Key is on the pending settings' key server, not the applied one (an Apply did not
finish: run apply again), 5 the OS keychain is unavailable. An Admin Key recorded under another
address than both is warned about (a store recovered through another address), with exit 0.
With --json, a store that needs recovery gives its own code as store.cause (LOCAL_UNLOCK_MISSING,
WRONG_KEY, STORE_TAMPERED, STORE_NOT_A_FILE, STORE_TOO_NEW, …).`,
  action: {
    async run(context) {
      const view = await context.settings.view();
      let store: StoreCheck;
      let keychainError: SecretStoreError | undefined;
      try {
        store = await recoveryState(context.dataDir, context.unlockKeys, view.applied !== null);
      } catch (error) {
        if (!(error instanceof SecretStoreError)) throw error;
        keychainError = error;
        store = { state: 'keychain-unavailable', reason: error.message };
      }
      const header = store.state === 'no-store' ? null : (await readStoreHeader(storeFilePath(context.dataDir)).catch(() => null))?.header ?? null;
      const applied = view.applied;
      const changes = changedFieldIds(view.pending, applied).map((id) => FIELDS[id].label);
      const warnings = verifyOffWarnings(view);
      const elsewhere = adminKeyElsewhere(header?.adminKey ?? null, applied, view.pending);
      const result = {
        dataDir: context.dataDir,
        settings: {
          applied: applied !== null,
          server: applied ? { name: applied.serverName, host: applied.hostName, port: applied.port } : null,
          pendingChanges: changes,
          warnings,
        },
        store: { ...store, adminKey: header?.adminKey ?? null, adminKeyElsewhere: elsewhere },
      };
      const lines = [
        `data folder: ${context.dataDir}`,
        applied ? `applied settings: ${applied.serverName} at ${applied.hostName}:${applied.port}` : 'applied settings: none (run apply)',
        `pending changes${applied ? '' : ' (never applied)'}: ${changes.length > 0 ? changes.join(', ') : 'none'}`,
        ...warnings.map((warning) => `warning (${warning.stages.join(' and ')} settings): ${warning.message}`),
        store.state === 'ok'
          ? `store: ${store.storeId}, unlocks; Admin Key generation ${store.adminKeyGeneration}` +
            (header?.adminKey ? ` "${header.adminKey.name}" on ${header.adminKey.server.host}:${header.adminKey.server.port}` : ' (never applied)')
          : store.state === 'no-store'
            ? `store: ${store.reason ? `MISSING: ${store.reason}` : 'none yet'}`
            : store.state === 'keychain-unavailable'
              ? `store: cannot tell whether it unlocks: ${store.reason}`
              : `store: NEEDS RECOVERY: ${store.reason}`,
        ...(elsewhere ? [`warning: ${elsewhere.message}`] : []),
      ];
      const failure = statusFailure(store, keychainError, elsewhere);
      // Failing, --json says so as every command does (ok, error), and keeps the result: a script still wants it.
      const document = failure ? { ...result, ok: false, error: { code: failure.code, message: failure.message } } : result;
      writeResult(context.io, context.json, document, lines.join('\n'));
      return failure?.exitCode ?? ExitCode.Ok;
    },
  },
});
