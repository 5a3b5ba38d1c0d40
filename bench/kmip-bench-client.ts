// One client case of bench/kmip-bench.ts, run in a process of its own (as PyKMIP's client is), from
// an esbuild bundle built the way the app's own code is: the benchmark measures the client as it
// ships, not as the tsx development loader rewrites it.
//
// Usage: node kmip-bench-client.mjs '<JSON BenchClientCase>'   (needs scripts/with-services.sh's
// environment for the test PKI). Prints one JSON line: a BenchRate, or for 'kmip-vs-bare' an
// InterleavedRates.
import { readFileSync } from 'node:fs';
import type { OnReadOpts } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { KmipClient, Tag } from '../main/kmip';
import { FrameReader } from '../main/kmip/transport';
import { ReceivedBytes } from '../main/kmip/transport/received-bytes';
import { ResponseSpin } from '../main/kmip/transport/response-spin';
import { pykmipClientOptions, requireServices } from '../tests/support/services';

export interface BenchClientCase {
  /**
   * 'kmip': this client's Get; 'bare': the Get request's bytes over a bare node:tls socket, no KMIP
   * code; 'kmip-vs-bare': both, sequential, over two connections of one process, taking turns in
   * short slices so that both see the same machine (a shared machine's speed drifts by tens of
   * percent between runs of a few seconds).
   */
  client: 'kmip' | 'bare' | 'kmip-vs-bare';
  port: number;
  uid: string;
  /** the Get request sent by the 'bare' case */
  requestHex: string;
  pipelined: boolean;
  /** requests kept in flight (1: sequential) */
  concurrency: number;
  /** how the client waits for an answer (ConnectionOptions.responseSpinMicros; 0: asleep at once) */
  responseSpinMicros: number;
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

export interface InterleavedRates {
  kmip: BenchRate;
  bare: BenchRate;
  /** length of one turn */
  sliceMs: number;
}

/** Length of one turn of a 'kmip-vs-bare' case. */
const SLICE_MS = 100;

interface OpenClient {
  op(): Promise<unknown>;
  close(): Promise<void>;
}

/** Calls `op` back to back for `ms` milliseconds (a warm-up). */
async function repeatFor(op: () => Promise<unknown>, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) await op();
}

/** CPU time of this process, in µs, since `started` (a process.cpuUsage() reading). */
function cpuMicrosSince(started: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(started);
  return cpu.user + cpu.system;
}

/** The rate of `ops` completions in `ms` milliseconds that took `cpuMicros` of this process's CPU. */
function rateOf(ops: number, ms: number, cpuMicros: number): BenchRate {
  return { ops, seconds: ms / 1000, opsPerSecond: (ops * 1000) / ms, cpuMicrosPerOp: cpuMicros / ops };
}

/** Runs `op` back to back (warm-up first) and counts completions for `seconds`. */
async function measure(op: () => Promise<unknown>, { seconds, warmUpMs, concurrency }: BenchClientCase): Promise<BenchRate> {
  await repeatFor(op, warmUpMs);
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
  return rateOf(ops, performance.now() - started, cpuMicrosSince(cpuStarted));
}

async function openKmipGets(spec: BenchClientCase): Promise<OpenClient> {
  const client = await KmipClient.connect(pykmipClientOptions({ port: spec.port, timeoutMs: 30_000, pipelined: spec.pipelined, protocol: '1.2', responseSpinMicros: spec.responseSpinMicros }));
  return { op: () => client.get(spec.uid), close: () => client.close() };
}

/**
 * Sequential round trips of one fixed Get request over a bare node:tls socket: no KMIP code runs.
 * It reads and waits as the client does: through `onread` (main/kmip/transport/received-bytes.ts), and
 * spinning for the answer as `responseSpinMicros` says (main/kmip/transport/response-spin.ts).
 */
async function openBareTlsRoundTrips(spec: BenchClientCase): Promise<OpenClient> {
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
  let sentAt = 0;
  const spin = new ResponseSpin(spec.responseSpinMicros, () => answered !== null);
  received.consume((chunk) => {
    if (reader.push(chunk).length === 0 || !answered) return;
    const resolve = answered;
    answered = null;
    spin.answered(performance.now() - sentAt);
    resolve();
  });
  return {
    op: () =>
      new Promise<void>((resolve) => {
        answered = resolve;
        sentAt = performance.now();
        socket.write(request);
        spin.sent(sentAt);
      }),
    close: async () => {
      socket.destroy();
    },
  };
}

async function measureOne(open: Promise<OpenClient>, spec: BenchClientCase): Promise<BenchRate> {
  const client = await open;
  try {
    return await measure(() => client.op(), spec);
  } finally {
    await client.close();
  }
}

/** Sequential Gets of this client and bare round trips, in alternating slices, `seconds` each in all. */
async function kmipVsBare(spec: BenchClientCase): Promise<InterleavedRates> {
  const clients = { kmip: await openKmipGets(spec), bare: await openBareTlsRoundTrips(spec) };
  const totals = { kmip: { ops: 0, ms: 0, cpu: 0 }, bare: { ops: 0, ms: 0, cpu: 0 } };
  try {
    for (const { op } of Object.values(clients)) await repeatFor(op, spec.warmUpMs);
    for (let turn = 0; totals.kmip.ms + totals.bare.ms < 2 * spec.seconds * 1000; turn += 1) {
      // Who goes first alternates, so neither always follows the other's garbage or cache state.
      for (const name of turn % 2 === 0 ? (['kmip', 'bare'] as const) : (['bare', 'kmip'] as const)) {
        const total = totals[name];
        const cpuStarted = process.cpuUsage();
        const started = performance.now();
        const stopAt = started + SLICE_MS;
        while (performance.now() < stopAt) {
          await clients[name].op();
          total.ops += 1;
        }
        total.ms += performance.now() - started;
        total.cpu += cpuMicrosSince(cpuStarted);
      }
    }
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.close()));
  }
  const { kmip, bare } = totals;
  return { kmip: rateOf(kmip.ops, kmip.ms, kmip.cpu), bare: rateOf(bare.ops, bare.ms, bare.cpu), sliceMs: SLICE_MS };
}

const spec = JSON.parse(process.argv[2] ?? '') as BenchClientCase;
const result =
  spec.client === 'kmip'
    ? await measureOne(openKmipGets(spec), spec)
    : spec.client === 'bare'
      ? await measureOne(openBareTlsRoundTrips(spec), spec)
      : await kmipVsBare(spec);
console.log(JSON.stringify(result));
