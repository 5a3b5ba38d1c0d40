// Secrets in the OS keychain (Linux: Secret Service only, never a silent fallback).
export { SecretStoreError, secretAccount, type SecretStage, type SecretStore, type SecretStoreErrorCode } from './secret-store';
export { KEYCHAIN_SERVICE, KeychainSecretStore } from './keychain-store';
