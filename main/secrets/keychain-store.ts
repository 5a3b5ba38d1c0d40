// SecretStore over the OS keychain (@napi-rs/keyring). On Linux the entry is pinned to the
// Secret Service: without that pin the library falls back to the kernel keyring, which loses
// secrets at logout — a missing keychain must be an error the user sees, never a silent fallback.
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { messageOf } from '../../common/app-error';
import { SecretStoreError, type SecretStore } from './secret-store';
import { busEndpoint, probeSessionBus, sessionBusAddress } from './session-bus-probe';

export const KEYCHAIN_SERVICE = 'kmip-console';

const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

const UNAVAILABLE_FIX =
  process.platform === 'linux'
    ? 'Start a Secret Service keychain (GNOME Keyring or KWallet) in this login session and unlock it, then try again. ' +
      'On a server without a desktop, run the command inside a D-Bus session with gnome-keyring-daemon unlocked.'
    : 'Unlock the system keychain for this user, then try again.';

function toStoreError(action: string, cause: unknown): SecretStoreError {
  const text = messageOf(cause);
  // keyring-rs reports "Platform failure" (no D-Bus, no provider) and "Couldn't access platform
  // storage" (no collection, locked, prompt dismissed) for a keychain that cannot be used.
  if (/platform failure|couldn't access platform storage|no storage access|dbus/i.test(text)) {
    return new SecretStoreError('SECRET_STORE_UNAVAILABLE', `The OS keychain is not available (${action}): ${text}. ${UNAVAILABLE_FIX}`, {
      cause,
    });
  }
  return new SecretStoreError('SECRET_STORE_FAILED', `The OS keychain refused to ${action}: ${text}.`, { cause });
}

/**
 * The Secret Service daemon went away in the middle of the call: the bus answered for it
 * (NoReply), or a new daemon did not know the session the call was made under (NoSession, worded
 * one way for a secret sent and another for a secret asked for). A daemon that does not answer at
 * all ("Did not receive a reply") is not one: asking again would only wait again.
 */
function daemonVanished(cause: unknown): boolean {
  return /disconnected from message bus without replying|the session (wrapping the secret )?does not exist/i.test(messageOf(cause));
}

/** How long the session bus may take to answer the probe before each keychain call (see session-bus-probe.ts). */
export const BUS_DEADLINE_MS = 10_000;

export class KeychainSecretStore implements SecretStore {
  constructor(
    private readonly service: string = KEYCHAIN_SERVICE,
    private readonly busDeadlineMs: number = BUS_DEADLINE_MS,
  ) {}

  /**
   * On Linux, refuses (SECRET_STORE_UNAVAILABLE) when the session bus does not answer in time: the
   * keychain library would then block this thread for ever. A bus that cannot be reached at all is
   * left to the library, whose error says so at once.
   */
  private async assertBusAnswers(action: string): Promise<void> {
    if (process.platform !== 'linux') return;
    const address = sessionBusAddress(process.env);
    const endpoint = address === null ? null : busEndpoint(address);
    if (endpoint === null) return;
    if ((await probeSessionBus(endpoint, this.busDeadlineMs)) === 'silent') {
      throw new SecretStoreError(
        'SECRET_STORE_UNAVAILABLE',
        `The OS keychain is not available (${action}): the D-Bus session bus did not answer within ${this.busDeadlineMs / 1000} s, so the ` +
          'keychain cannot be asked. Restart the D-Bus session (log out and in), then try again.',
      );
    }
  }

  /**
   * Runs one keychain operation. Once, it is run again when the keychain daemon vanished while it
   * was answering: gnome-keyring 42 aborts when a client exits with a call pending while others are
   * busy, and the bus starts a new daemon on the next call (a desktop's comes up locked and asks to
   * be unlocked). Each operation is idempotent: a set writes the same value, and a delete that already
   * happened finds nothing (it then reports false: no caller acts on that result).
   */
  private async run<T>(account: string, action: string, operation: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    await this.assertBusAnswers(action);
    for (let attempt = 1; ; attempt += 1) {
      try {
        // The constructor already asks the daemon (it opens the Secret Service session).
        return await operation(new AsyncEntry(this.service, account, ENTRY_OPTIONS));
      } catch (cause) {
        if (attempt === 1 && daemonVanished(cause)) continue;
        throw toStoreError(action, cause);
      }
    }
  }

  get(account: string): Promise<string | null> {
    return this.run(account, `read the entry "${account}"`, (entry) => entry.getPassword());
  }

  set(account: string, value: string): Promise<void> {
    return this.run(account, `store the entry "${account}"`, (entry) => entry.setPassword(value));
  }

  delete(account: string): Promise<boolean> {
    return this.run(account, `delete the entry "${account}"`, (entry) => entry.deleteCredential());
  }
}
