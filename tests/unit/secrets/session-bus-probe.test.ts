// The session-bus probe run before each keychain call: a bus that never answers becomes a typed
// error at the deadline, where the keychain library would block the process for ever.
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from '../../../main/secrets';
import { busEndpoint, probeSessionBus, sessionBusAddress } from '../../../main/secrets/session-bus-probe';
import { scratchDir } from '../../support/scratch-dirs';

/** A Unix-socket server at a fresh path: silent, or answering the first bytes as dbus-daemon does. */
async function fakeBus(answer: boolean): Promise<{ socketPath: string; close(): Promise<void> }> {
  const socketPath = path.join(scratchDir('kmip-bus-'), 'bus');
  const peers: Socket[] = [];
  const server: Server = createServer((peer) => {
    peers.push(peer.on('error', () => undefined));
    if (answer) peer.once('data', () => peer.write('REJECTED EXTERNAL\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    close: async () => {
      for (const peer of peers) peer.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('session bus probe', () => {
  it('reads the D-Bus address forms libdbus uses', () => {
    expect(busEndpoint('unix:path=/run/user/0/bus')).toEqual({ path: '/run/user/0/bus' });
    expect(busEndpoint('unix:abstract=/tmp/dbus-Ab12,guid=0123')).toEqual({ path: '\0/tmp/dbus-Ab12' });
    expect(busEndpoint('unix:path=/tmp/a%20b;tcp:host=x,port=1')).toEqual({ path: '/tmp/a b' });
    expect(busEndpoint('tcp:host=127.0.0.1,port=12345')).toEqual({ host: '127.0.0.1', port: 12345 });
    expect(busEndpoint('launchd:env=X')).toBeNull();
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: '/run/user/7' })).toBe('unix:path=/run/user/7/bus');
    expect(sessionBusAddress({})).toBeNull();
  });

  it('tells a bus that answers, one that stays silent past the deadline, and one that is not there', async () => {
    const answering = await fakeBus(true);
    const silent = await fakeBus(false);
    try {
      expect(await probeSessionBus({ path: answering.socketPath }, 2000)).toBe('answered');
      const started = performance.now();
      expect(await probeSessionBus({ path: silent.socketPath }, 300)).toBe('silent');
      expect(performance.now() - started).toBeLessThan(2000);
      expect(await probeSessionBus({ path: path.join(scratchDir('kmip-bus-'), 'none') }, 2000)).toBe('unreachable');
    } finally {
      await answering.close();
      await silent.close();
    }
  });
});

describe('KeychainSecretStore with a session bus that never answers', () => {
  const busBefore = process.env.DBUS_SESSION_BUS_ADDRESS;
  afterEach(() => {
    if (busBefore === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = busBefore;
  });

  it.runIf(process.platform === 'linux')('fails with SECRET_STORE_UNAVAILABLE at the deadline instead of hanging', async () => {
    const silent = await fakeBus(false);
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${silent.socketPath}`;
    try {
      const store = new KeychainSecretStore('kmip-console-test', 300);
      for (const call of [() => store.get('a'), () => store.set('a', 'v'), () => store.delete('a')]) {
        await expect(call()).rejects.toMatchObject({ code: 'SECRET_STORE_UNAVAILABLE', message: expect.stringContaining('did not answer within 0.3 s') });
      }
    } finally {
      await silent.close();
    }
  });
});
