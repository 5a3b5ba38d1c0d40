// The main-process half of the Ciphers check: OpenSSL itself must accept the list, in the TLS
// context the connection uses. OpenSSL silently drops names it does not know as long as one name
// matches, so each name that selects ciphers is tried alone as well.
import { checkCipherList } from '../kmip';
import { SettingsError } from './errors';

function opensslAccepts(ciphers: string): boolean {
  return checkCipherList(ciphers) === null;
}

/** Throws VALIDATION_FAILED (field ciphers) unless OpenSSL accepts every cipher name in the list. */
export function assertCipherListUsable(list: string): void {
  if (list === '') return;
  const refusal = checkCipherList(list);
  // A list OpenSSL would take but the connection refuses on principle (security level 0): say why.
  if (refusal?.detail === 'security level 0') throw new SettingsError('VALIDATION_FAILED', refusal.message, { field: 'ciphers' });
  for (const element of list.split(/[:, ]+/)) {
    // "!X", "-X", "+X" and "@STRENGTH"/"@SECLEVEL=n" modify the selection and match nothing alone.
    if (element === '' || /^[!+\-@]/.test(element)) continue;
    if (!opensslAccepts(element)) {
      throw new SettingsError(
        'VALIDATION_FAILED',
        `Ciphers: OpenSSL in this app knows no cipher "${element}" (or it is disabled at this security level): ` +
          'check the spelling against `openssl ciphers -v`, or remove it.',
        { field: 'ciphers' },
      );
    }
  }
  if (refusal !== null) {
    throw new SettingsError('VALIDATION_FAILED', 'Ciphers: the list selects no cipher at all (everything is excluded): remove some "!" exclusions.', {
      field: 'ciphers',
    });
  }
}
