// The two diagnostics below TLS: name resolution and a bare TCP connect, each bounded by Timeout.
import { lookup } from 'node:dns/promises';
import { isIP, connect } from 'node:net';
import { TransportError } from '../kmip';

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  if (timeoutMs <= 0) return promise;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The addresses `host` resolves to (the host itself when it is an IP address). */
export async function resolveHost(host: string, timeoutMs: number): Promise<string[]> {
  if (isIP(host)) return [host];
  try {
    const answers = await withTimeout(
      lookup(host, { all: true }),
      timeoutMs,
      () => new TransportError('DNS_LOOKUP_FAILED', `Resolving Host Name "${host}" took longer than Timeout (${timeoutMs / 1000} s).`, { field: 'host' }),
    );
    return answers.map((a) => a.address);
  } catch (error) {
    if (error instanceof TransportError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new TransportError('DNS_LOOKUP_FAILED', `Host Name "${host}" could not be resolved (${code}).`, { field: 'host', detail: code });
  }
}

/** Opens and closes a TCP connection to address:port. */
export async function probeTcp(address: string, port: number, timeoutMs: number): Promise<void> {
  const target = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: address, port });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            socket.destroy();
            reject(new TransportError('CONNECT_TIMEOUT', `No TCP answer from ${target} within Timeout (${timeoutMs / 1000} s).`, { field: 'host' }));
          }, timeoutMs)
        : undefined;
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = error.code ?? 'unknown error';
      if (code === 'ECONNREFUSED') {
        reject(new TransportError('CONNECTION_REFUSED', `Nothing accepts connections at ${target} (${code}).`, { field: 'port', detail: code }));
      } else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
        reject(new TransportError('NETWORK_UNREACHABLE', `The network has no route to ${target} (${code}).`, { field: 'host', detail: code }));
      } else if (code === 'ETIMEDOUT') {
        reject(new TransportError('CONNECT_TIMEOUT', `The TCP connection to ${target} timed out (${code}).`, { field: 'host', detail: code }));
      } else {
        reject(new TransportError('CONNECTION_CLOSED', `The TCP connection to ${target} failed (${code}).`, { field: 'host', detail: code }));
      }
    });
  });
}
