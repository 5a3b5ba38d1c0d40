// Settings of the EKS dialog in the main process (PRODUCT.md §2–§3). One SettingsRepository per
// data folder: pending/applied settings in settings.json, loaded files in files/, secrets in the
// OS keychain. An import (importSettings) saves many fields and files at once, all or none. The
// Apply workflow: assertReadyToApply(pending) → resolveSecrets('pending') →
// toKmipClientOptions(...) → (KMIP work) → commitApply() as the last step.
export { SettingsError, type SettingsErrorCode } from './errors';
export {
  SECRET_SWITCH_PAUSE_POINTS,
  SettingsRepository,
  secretMarker,
  type ImportResult,
  type ImportedFile,
  type LoadFileInput,
  type SecretSwitchPausePoint,
  type SecretValues,
  type SettingsImport,
  type SettingsRepositoryOptions,
} from './repository';
export { toKmipClientOptions, type KmipOptionsInput, type StoredFileReader } from './kmip-options';
export { assertCipherListUsable } from './ciphers';
export { storedFileSummary } from './describe-value';
export { assertSettingsAsShown, settingsRevision } from './revisions';
export { assertFieldAsShown, fieldRevision, fieldRevisions, type FieldChange } from './field-revision';
export { SETTINGS_FILE_NAME, migrateSettingsDocument, readSettingsDocument, settingsFilePath, type SettingsDocument } from './settings-file';
export { FILES_DIR_NAME, filesDir } from './credential-files';
