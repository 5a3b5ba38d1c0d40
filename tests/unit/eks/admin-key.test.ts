// The search for an Admin Key Name the key server does not hold yet: few Locates however many are taken.
// Activate after a dropped connection: its outcome is read back, never guessed. Auto-Reconnect = 0 is
// honoured by the session the runs re-open connections with.
import { describe, expect, it } from 'vitest';
import { activateAdminKey, adminKeyName, firstUnusedGeneration } from '../../../main/eks/admin-key';
import { KmipSession } from '../../../main/eks/kmip-session';
import { State, TransportError } from '../../../main/kmip';

const STORE = 'b7f3c1de-0000-4000-8000-000000000001';

/** A session whose server holds keys under the Names of `taken` generations; counts the Locates. */
function serverHolding(taken: (generation: number) => boolean): { session: KmipSession; locates: () => number } {
  let locates = 0;
  const client = {
    locate: async ({ name }: { name: string }) => {
      locates += 1;
      const generation = Number(name.slice(name.lastIndexOf('/') + 1));
      expect(name).toBe(adminKeyName(STORE, generation));
      return { uniqueIdentifiers: taken(generation) ? [String(generation)] : [] };
    },
  };
  const session = { client: async () => client, reconnect: async () => client } as unknown as KmipSession;
  return { session, locates: () => locates };
}

describe('firstUnusedGeneration', () => {
  it('is the next generation when its Name is free, after one Locate', async () => {
    const server = serverHolding(() => false);
    expect(await firstUnusedGeneration(server.session, STORE, 4)).toBe(4);
    expect(server.locates()).toBe(1);
  });

  it.each([2, 3, 17, 101, 5000])('skips %i taken Names after the next one with at most a few dozen Locates', async (count) => {
    const server = serverHolding((generation) => generation >= 2 && generation < 2 + count);
    expect(await firstUnusedGeneration(server.session, STORE, 2)).toBe(2 + count);
    expect(server.locates()).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(count + 1)) + 2);
  });

  it('gives up with ADMIN_KEY_NAMES_TAKEN on a server whose Locate ignores the Name', async () => {
    const server = serverHolding(() => true);
    await expect(firstUnusedGeneration(server.session, STORE, 1)).rejects.toMatchObject({ code: 'ADMIN_KEY_NAMES_TAKEN' });
    expect(server.locates()).toBeLessThan(30);
  });
});

/** A session whose first Activate drops before its answer; the key server then reports `stateAfterDrop`. */
function droppedActivate(stateAfterDrop: number | undefined): { session: KmipSession; activates: () => number; reconnects: () => number } {
  let activates = 0;
  let reconnects = 0;
  const client = {
    activate: async () => {
      activates += 1;
      if (activates === 1) throw new TransportError('CONNECTION_CLOSED', 'The connection to the server at kms:5696 closed before the server answered.');
    },
    getAttributes: async () => ({ attributes: stateAfterDrop === undefined ? {} : { State: [stateAfterDrop] } }),
  };
  const session = {
    client: async () => client,
    reconnect: async () => {
      reconnects += 1;
      return client;
    },
  } as unknown as KmipSession;
  return { session, activates: () => activates, reconnects: () => reconnects };
}

describe('activateAdminKey after the connection dropped before Activate was answered', () => {
  it('sends Activate again on a new connection when the key is still Pre-Active', async () => {
    const server = droppedActivate(State.PreActive);
    expect(await activateAdminKey(server.session, '15')).toBe('re-sent');
    expect(server.reconnects()).toBe(1);
    expect(server.activates()).toBe(2);
  });

  it('carries on without sending it again when the key is already Active', async () => {
    const server = droppedActivate(State.Active);
    expect(await activateAdminKey(server.session, '15')).toBe('found-active');
    expect(server.activates()).toBe(1);
  });

  it('names the State when the key is neither, and keeps the drop when the server does not say', async () => {
    const deactivated = droppedActivate(State.Deactivated);
    await expect(activateAdminKey(deactivated.session, '15')).rejects.toMatchObject({
      code: 'ADMIN_KEY_NOT_ACTIVE',
      message: expect.stringContaining('marks unique identifier 15 Deactivated'),
    });
    await expect(activateAdminKey(droppedActivate(undefined).session, '15')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});

describe('KmipSession.reconnect', () => {
  it('with Auto-Reconnect off opens nothing and ends the run with the error of the dropped request', async () => {
    const dropped = new TransportError('CONNECTION_CLOSED', 'closed before the server answered, and Auto-Reconnect is off');
    // A port nothing listens on: a connection attempt would fail with CONNECTION_REFUSED instead.
    const session = new KmipSession({ host: '127.0.0.1', port: 1, timeoutMs: 1000, verify: true, pipelined: false, autoReconnect: false, tls: {}, protocol: 'auto' });
    await expect(session.reconnect(dropped)).rejects.toBe(dropped);
  });
});
