// Which KMIP password a Test sends (PRODUCT.md §3 Test, §6). The password stored in the keychain goes
// only where Apply would send it: to the saved Host Name and Port, trusted as the saved Verify and
// Ciphers say. A Test of other such values on screen runs without it (everything but the password is
// still diagnosed) and its credentials step says why; otherwise a host typed but not saved, with
// Verify off, would receive the stored password from whoever answers there. A password typed for the
// Test is the operator's own choice to send.
import type { SecretInput } from '../../common/ipc';
import { FIELDS, type Settings } from '../../common/settings';
import type { PasswordNotSent } from '../eks/run-test';
import type { SecretValues } from '../settings';

/**
 * Fields a Test takes from the screen that decide which server the connection reaches and how far it
 * is trusted. The other trust settings (CA Trusted Cert, Server Cert, the client identity) are files,
 * which a Test always takes saved.
 */
const PEER_AND_TRUST_FIELDS = ['hostName', 'port', 'verify', 'ciphers'] as const;

function listOf(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * The secrets for a Test of `onScreen` (the saved pending settings with the drafts over them):
 * `stored` with the password the operator chose, the stored one only if the peer and trust fields
 * on screen are the saved ones.
 */
export function secretsForTest(
  stored: SecretValues,
  password: SecretInput,
  saved: Settings,
  onScreen: Settings,
): { secrets: SecretValues; passwordNotSent?: PasswordNotSent } {
  const secrets: SecretValues = { ...stored };
  if (password.kind === 'new') return { secrets: { ...secrets, password: password.value } };
  if (password.kind === 'none') delete secrets.password;
  // Without a Username no credential, and so no password, is sent at all.
  if (secrets.password === undefined || onScreen.username === '') return { secrets };
  const unsaved = PEER_AND_TRUST_FIELDS.filter((id) => onScreen[id] !== saved[id]).map((id) => FIELDS[id].label);
  if (unsaved.length === 0) return { secrets };
  delete secrets.password;
  const fields = listOf(unsaved);
  return {
    secrets,
    passwordNotSent: {
      reason: `${fields} on screen ${unsaved.length === 1 ? 'is' : 'are'} not saved, and the stored password is sent only to the saved Host Name and Port, with the saved Verify and Ciphers`,
      fix: `Save ${fields} to test with the stored password, or type the password in Password (Advanced › Credentials) for this Test.`,
    },
  };
}
