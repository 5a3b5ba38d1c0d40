// Where secrets live (PRODUCT.md §2: "every secret goes to the OS keychain"). Entries are
// addressed by an account name; secretAccount() builds the names the settings use.
import { AppError } from '../../common/app-error';
import type { SecretId } from '../../common/settings';

export type SecretStoreErrorCode = 'SECRET_STORE_UNAVAILABLE' | 'SECRET_STORE_FAILED';

export class SecretStoreError extends AppError {
  declare readonly code: SecretStoreErrorCode;

  constructor(code: SecretStoreErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(code, message, options);
  }
}

export interface SecretStore {
  /** null when no entry exists */
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  /** true when an entry was removed, false when there was none */
  delete(account: string): Promise<boolean>;
}

/** Pending values are edited by Save; applied values are what the running system uses. */
export type SecretStage = 'pending' | 'applied';

/**
 * Keychain account of one secret: `<profile>/<stage>/<secretId>` for revision 0, and
 * `<profile>/<stage>-<revision>/<secretId>` after that, so pending and applied values, several
 * server profiles, and the old and new values of a stage being replaced coexist under the one
 * service name (the settings file says which revision of each stage is current).
 */
export function secretAccount(profile: string, stage: SecretStage, id: SecretId, revision = 0): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(profile)) {
    throw new SecretStoreError(
      'SECRET_STORE_FAILED',
      `Profile name "${profile}" cannot name a keychain entry: use 1–64 letters, digits, ".", "_" or "-".`,
    );
  }
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw new SecretStoreError('SECRET_STORE_FAILED', `Keychain revision ${revision} of the ${stage} secrets is not a non-negative integer.`);
  }
  return `${profile}/${revision === 0 ? stage : `${stage}-${revision}`}/${id}`;
}
