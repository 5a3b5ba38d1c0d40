// One client case of bench/kmip-bench.ts, run in a process of its own (as PyKMIP's client is), from
// an esbuild bundle built the way the app's own code is: the benchmark measures the client as it
// ships, not as the tsx development loader rewrites it.
//
// Usage: node kmip-bench-client.mjs '<JSON BenchClientCase>'   (needs scripts/with-services.sh's
// environment for the test PKI). Prints one JSON line: a BenchRate.
import { readFileSync } from 'node:fs';
import type { OnReadOpts } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { KmipClient, Tag } from '../main/kmip';
import { FrameReader } from '../main/kmip/transport';
import { ReceivedBytes } from '../main/kmip/transport/received-bytes';
import { pykmipClientOptions, requireServices } from '../tests/support/services';

export interface BenchClientCase {
  /** 'kmip': this client's Get; 'bare': the Get request's bytes over a bare node:tls socket, no KMIP code. */
  client: 'kmip' | 'bare';
  port: number;
  uid: string;
  /** the Get request sent by the 'bare' case */
  requestHex: string;
  pipelined: boolean;
  /** requests kept in flight (1: sequential) */
  concurrency: number;
  seconds: number;
  warmUpMs: number;
}

export interface BenchRate {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  /** CPU time of the client's process per Get */
  cpuMicrosPerOp: number;
}

/** Runs `op` back to back (warm-up first) and counts completions for `seconds`. */
async function measure(op: () => Promise<unknown>, { seconds, warmUpMs, concurrency }: BenchClientCase): Promise<BenchRate> {
  const warmUntil = performance.now() + warmUpMs;
  while (performance.now() < warmUntil) await op();
  let ops = 0;
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      await op();
      ops += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  return { ops, seconds: elapsed, opsPerSecond: ops / elapsed, cpuMicrosPerOp: (cpu.user + cpu.system) / ops };
}

async function kmipGets(spec: BenchClientCase): Promise<BenchRate> {
  const client = await KmipClient.connect(pykmipClientOptions({ port: spec.port, timeoutMs: 30_000, pipelined: spec.pipelined, protocol: '1.2' }));
  try {
    return await measure(() => client.get(spec.uid), spec);
  } finally {
    await client.close();
  }
}

/**
 * Sequential round trips of one fixed Get request over a bare node:tls socket: no KMIP code runs.
 * It reads as the client does (through `onread`, see main/kmip/transport/received-bytes.ts).
 */
async function bareTlsRoundTrips(spec: BenchClientCase): Promise<BenchRate> {
  const { host, pki } = requireServices();
  const request = Buffer.from(spec.requestHex, 'hex');
  const received = new ReceivedBytes();
  const options: ConnectionOptions & { onread: OnReadOpts } = {
    onread: received.onread,
    host,
    port: spec.port,
    ca: readFileSync(pki.caCert),
    cert: readFileSync(pki.clientCert),
    key: readFileSync(pki.clientKey),
    minVersion: 'TLSv1.2',
  };
  const socket = tlsConnect(options);
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  socket.setNoDelay(true);
  const reader = new FrameReader({ expectedTag: Tag.ResponseMessage, maxMessageBytes: 1 << 20, peer: 'the responder' });
  let answered: (() => void) | null = null;
  received.consume((chunk) => {
    if (reader.push(chunk).length > 0) answered?.();
  });
  try {
    return await measure(
      () =>
        new Promise<void>((resolve) => {
          answered = resolve;
          socket.write(request);
        }),
      spec,
    );
  } finally {
    socket.destroy();
  }
}

const spec = JSON.parse(process.argv[2] ?? '') as BenchClientCase;
const rate = spec.client === 'kmip' ? await kmipGets(spec) : await bareTlsRoundTrips(spec);
console.log(JSON.stringify(rate));
