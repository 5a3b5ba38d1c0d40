// What a saved value is, for a person (the CLI's settings table, a refusal naming what a field holds now).
// Never a secret: a password is said to be stored or not.
import type { StoredFile } from '../../common/settings';

/**
 * A loaded file past its name: its format, the leaf certificate (subject and end date; for a file holding
 * several, the one chosen) or else the key's type, and whether its password is in the keychain.
 */
export function storedFileSummary(file: StoredFile): string {
  const leaf = file.details.certificates[0];
  const what = leaf ? `${leaf.subject.replace(/\n/g, ', ')}, until ${leaf.notAfter.slice(0, 10)}` : file.details.privateKey ? `${file.details.privateKey.type} key` : '';
  return `${file.format.toUpperCase()}${what ? `, ${what}` : ''}${file.password.stored ? ', password in keychain' : ''}`;
}
