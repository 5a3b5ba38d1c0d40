// The main-process half of the Ciphers check: OpenSSL itself must accept the list, in the TLS
// context the connection uses. OpenSSL silently drops names it does not know as long as one name
// matches, so each name that selects ciphers is tried alone as well; and it accepts suites it then
// never offers (disabled at this security level), so the list's ClientHello is looked at too.
import { checkCipherList, cipherListNames, offeredTls12Suites } from '../kmip';
import { SettingsError } from './errors';

function opensslAccepts(ciphers: string): boolean {
  return checkCipherList(ciphers) === null;
}

/** TLS 1.3 suite names (TLS_…) are set apart by Node.js: a list of those alone means TLS 1.3 only, on purpose. */
const TLS13_SUITE = /^TLS_/;

/** Why a list whose every name OpenSSL knows still selects no cipher (TLS 1.3 names are not in OpenSSL's list). */
function selectsNothing(selecting: readonly string[]): string {
  if (selecting.every((element) => TLS13_SUITE.test(element))) {
    const names = selecting.length === 0 ? 'names no cipher' : 'names no cipher besides its TLS 1.3 suites (TLS_…)';
    return (
      `Ciphers: the list ${names}: "!", "-", "+" and "@" entries only change a selection and select nothing themselves. ` +
      'Put the ciphers to select first (e.g. "ECDHE+AESGCM:!aNULL"), or leave Ciphers empty for the defaults.'
    );
  }
  return 'Ciphers: the list selects no cipher at all (everything it names is excluded again): remove some "!" or "-" exclusions.';
}

/**
 * Throws VALIDATION_FAILED (field ciphers) unless OpenSSL accepts every cipher name in the list,
 * offers every TLS 1.2 name it selects, and offers at least one TLS 1.2 suite with the whole list.
 */
export async function assertCipherListUsable(list: string): Promise<void> {
  if (list === '') return;
  const refusal = checkCipherList(list);
  // A list OpenSSL would take but the connection refuses (security level 0, a TLS_… name that is no
  // TLS 1.3 suite): the connection's own message says why.
  if (refusal?.detail === 'security level 0' || refusal?.detail === 'not a TLS 1.3 suite') {
    throw new SettingsError('VALIDATION_FAILED', refusal.message, { field: 'ciphers' });
  }
  const elements = cipherListNames(list);
  // OpenSSL refuses a whole list for one "@" command it does not know ("invalid command"): name it.
  const unknownCommand = elements.find((element) => element.includes('@') && !opensslAccepts(`DEFAULT:${element}`));
  if (unknownCommand !== undefined) {
    throw new SettingsError(
      'VALIDATION_FAILED',
      `Ciphers: OpenSSL knows no command "${unknownCommand}": after "@" it takes only STRENGTH and SECLEVEL=n, in capitals, ` +
        'with n one digit from 1 to 5 (e.g. @SECLEVEL=2). Correct it, or remove it.',
      { field: 'ciphers' },
    );
  }
  // "!X", "-X", "+X" and "@STRENGTH"/"@SECLEVEL=n" modify the selection and match nothing alone.
  const selecting = elements.filter((element) => !/^[!+\-@]/.test(element));
  for (const element of selecting) {
    if (!opensslAccepts(element)) {
      throw new SettingsError(
        'VALIDATION_FAILED',
        `Ciphers: OpenSSL in this app knows no cipher "${element}" (or it is disabled at this security level): ` +
          'check the spelling against `openssl ciphers -v`, or remove it.',
        { field: 'ciphers' },
      );
    }
    if (!TLS13_SUITE.test(element) && (await offeredTls12Suites(element))?.length === 0) {
      throw new SettingsError(
        'VALIDATION_FAILED',
        `Ciphers: OpenSSL never offers "${element}": its suites are disabled at this security level, as suites without encryption are. ` +
          'Remove it, or name suites such as ECDHE-RSA-AES256-GCM-SHA384.',
        { field: 'ciphers' },
      );
    }
  }
  if (refusal !== null) throw new SettingsError('VALIDATION_FAILED', selectsNothing(selecting), { field: 'ciphers' });
  if (selecting.some((element) => !TLS13_SUITE.test(element)) && (await offeredTls12Suites(list))?.length === 0) {
    throw new SettingsError(
      'VALIDATION_FAILED',
      'Ciphers: after its exclusions and any @SECLEVEL the list leaves no TLS 1.2 suite to offer, so only a TLS 1.3 server could be reached, ' +
        'and many KMIP servers speak TLS 1.2 only (PyKMIP does): remove some "!" exclusions or lower @SECLEVEL, or leave Ciphers empty.',
      { field: 'ciphers' },
    );
  }
}
