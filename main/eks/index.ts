// Public API of the External Key Server workflows (PRODUCT.md §3): Test, Apply, entropy at start,
// Recovery. The app's IPC handlers and the CLI call these; both pass the settings as KmipClientOptions
// (main/settings builds them) and the keychain as LocalUnlockKeys (main/store keychainUnlockKeys).
export { runTest, TEST_STEPS, REQUIRED_OPERATIONS, tlsSummary } from './run-test';
export { runApply, APPLY_STEPS, APPLY_PAUSE_POINTS, STORE_MISSING_FIX, type ApplyOutcome, type ApplyPausePoint, type ApplyRequest } from './apply';
export { runRecover, recoveryState, readRecoverableHeader, storeInDataFolder, assertRestoreAllowed, RECOVER_STEPS, type RecoverRequest, type RecoverySource } from './recover';
export { fetchEntropy, seedFromServer, ENTROPY_REQUEST_BYTES, ENTROPY_UNAVAILABLE, type EntropyReport } from './entropy';
export { MixedRandom, mixedRandom } from './mixed-random';
export { adminKeyName } from './admin-key';
export { EksError, type EksErrorCode } from './errors';
export { RunCancel } from './run-cancel';
export { explain, type Explanation } from './explain';
export type { StepListener } from './steps';
export { openDataFolderStore } from './store-file-fault';
