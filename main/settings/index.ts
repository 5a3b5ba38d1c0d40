export { SettingsError, type SettingsErrorCode } from './errors';
export { SettingsRepository, secretMarker, type LoadFileInput, type SecretValues, type SettingsRepositoryOptions } from './repository';
export { toKmipClientOptions, type KmipOptionsInput, type StoredFileReader } from './kmip-options';
export { assertCipherListUsable } from './ciphers';
export { SETTINGS_FILE_NAME, migrateSettingsDocument, readSettingsDocument, settingsFilePath, type SettingsDocument } from './settings-file';
export { FILES_DIR_NAME, filesDir } from './credential-files';
