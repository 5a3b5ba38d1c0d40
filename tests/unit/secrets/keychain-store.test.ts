// KeychainSecretStore's one retry, over a scripted keychain library: each construction and each call
// takes the next outcome. The real daemon vanishing is in tests/integration/secrets/keychain.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const outcomes: Array<Error | undefined> = [];
let steps = 0;

function next(): void {
  steps += 1;
  const outcome = outcomes.shift();
  if (outcome) throw outcome;
}

vi.mock('@napi-rs/keyring', () => ({
  AsyncEntry: class {
    constructor() {
      next();
    }
    async setPassword(): Promise<void> {
      next();
    }
    async getPassword(): Promise<string> {
      next();
      return 'value';
    }
    async deleteCredential(): Promise<boolean> {
      next();
      return true;
    }
  },
}));

const { KeychainSecretStore } = await import('../../../main/secrets/keychain-store');

// Texts the library gave against gnome-keyring 42.1 (session 21).
const NO_REPLY = 'Platform failure: DBus error: Message recipient disconnected from message bus without replying';
const NO_SESSION_SET = 'Platform failure: DBus error: The session wrapping the secret does not exist';
const NO_SESSION_GET = 'Platform failure: DBus error: The session does not exist';
const DISMISSED = "Couldn't access platform storage: Secret Service: unlock prompt was dismissed";
const SILENT = 'Platform failure: DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply';

describe('KeychainSecretStore when the daemon vanishes', () => {
  const store = new KeychainSecretStore('kmip-console-unit');
  beforeEach(() => {
    outcomes.length = 0;
    steps = 0;
  });

  it.each([
    ['set, the call answered by the bus (NoReply)', [undefined, new Error(NO_REPLY)], () => store.set('a', 'v'), undefined],
    ['set, the session unknown to the new daemon', [undefined, new Error(NO_SESSION_SET)], () => store.set('a', 'v'), undefined],
    ['get, the session unknown to the new daemon', [undefined, new Error(NO_SESSION_GET)], () => store.get('a'), 'value'],
    ['delete, in the constructor', [new Error(NO_REPLY)], () => store.delete('a'), true],
  ])('%s: runs it again and returns its result', async (_name, failures, operation, expected) => {
    outcomes.push(...failures);
    await expect(operation()).resolves.toBe(expected);
    expect(outcomes).toEqual([]);
    expect(steps).toBe(failures.length + 2);
  });

  it('asks only once more', async () => {
    outcomes.push(new Error(NO_REPLY), new Error(NO_REPLY));
    await expect(store.get('a')).rejects.toMatchObject({
      code: 'SECRET_STORE_UNAVAILABLE',
      message: expect.stringContaining('Message recipient disconnected'),
    });
    expect(steps).toBe(2);
  });

  it.each([
    ['a dismissed unlock prompt', DISMISSED],
    ['a daemon that does not answer', SILENT],
  ])('does not ask again after %s', async (_name, text) => {
    outcomes.push(new Error(text));
    await expect(store.set('a', 'v')).rejects.toMatchObject({ code: 'SECRET_STORE_UNAVAILABLE' });
    expect(steps).toBe(1);
  });
});
