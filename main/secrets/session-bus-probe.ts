// Whether the D-Bus session bus answers at all, asked before each keychain call on Linux. The
// keychain library connects to the bus synchronously, on the JavaScript thread and without a
// timeout: with a hung bus (its daemon stopped, a socket nobody serves) every command that needs a
// secret would hang for ever, timers included. Opening the bus's authentication exchange ourselves,
// asynchronously and with a deadline, turns that into an error a person can act on.
import { connect, type NetConnectOpts } from 'node:net';

/** 'silent': connected, but no answer in time (the hang this probe exists for). */
export type BusProbe = 'answered' | 'silent' | 'unreachable';

/** The session bus address libdbus would use: $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus; null when neither is set. */
export function sessionBusAddress(env: NodeJS.ProcessEnv): string | null {
  if (env.DBUS_SESSION_BUS_ADDRESS) return env.DBUS_SESSION_BUS_ADDRESS;
  return env.XDG_RUNTIME_DIR ? `unix:path=${env.XDG_RUNTIME_DIR}/bus` : null;
}

/** Where a D-Bus address (`unix:path=…`, `unix:abstract=…`, `tcp:host=…,port=…`; the first of a `;` list) points. */
export function busEndpoint(address: string): NetConnectOpts | null {
  const [transport, rest = ''] = (address.split(';')[0] ?? '').split(/:(.*)/s);
  const keys = new Map(
    rest
      .split(',')
      .map((pair) => pair.split(/=(.*)/s))
      .filter((kv): kv is [string, string] => kv.length >= 2)
      .map(([key, value]) => [key, decodeURIComponent(value)]),
  );
  if (transport === 'unix' && keys.has('path')) return { path: keys.get('path')! };
  if (transport === 'unix' && keys.has('abstract')) return { path: `\0${keys.get('abstract')!}` };
  const port = Number(keys.get('port'));
  if (transport === 'tcp' && Number.isInteger(port)) return { host: keys.get('host') ?? 'localhost', port };
  return null;
}

/**
 * Sends the opening of a D-Bus authentication (a NUL, then "AUTH" with no mechanism, which any bus
 * answers at once with the mechanisms it offers) and waits up to `deadlineMs` for a reply.
 */
export function probeSessionBus(endpoint: NetConnectOpts, deadlineMs: number): Promise<BusProbe> {
  return new Promise((resolve) => {
    const socket = connect(endpoint);
    const finish = (probe: BusProbe): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(probe);
    };
    const timer = setTimeout(() => finish('silent'), deadlineMs);
    socket.once('connect', () => socket.write('\0AUTH\r\n'));
    socket.once('data', () => finish('answered'));
    socket.once('error', () => finish('unreachable'));
    socket.once('close', () => finish('unreachable'));
  });
}
