export { SecretStoreError, secretAccount, type SecretStage, type SecretStore, type SecretStoreErrorCode } from './secret-store';
export { KEYCHAIN_SERVICE, KeychainSecretStore } from './keychain-store';
