// The issue-2 benchmark, in one run:
//  (a) the TTLV codec against PyKMIP's (bench/codec-bench.ts, the codec engineer's part);
//  (b) sequential Get ops/s over one connection: this client (Nbio 0 and 1) against PyKMIP's
//      ProxyKmipClient, both against the real PyKMIP server and against a minimal TLS responder that
//      answers every request with one fixed Get response (bench/fixed-get-responder.ts, serving from
//      C with OpenSSL). Against the responder, a bare node:tls ping-pong of the same request bytes,
//      with no KMIP code at all, shows the ceiling of sequential round trips that Node's TLS socket
//      reaches on this machine.
// Needs the test services: run `npx tsx bench/kmip-bench.ts` (it re-runs itself under
// scripts/with-services.sh) or `bash scripts/with-services.sh npx tsx bench/kmip-bench.ts`.
// KMIP_BENCH_SECONDS sets the measuring time of each case (default 2), KMIP_BENCH_ROUNDS how many
// interleaved rounds are run (default 3; the best round of each case is shown, which filters out
// bursts of load from other processes on a shared machine). Besides ops/s, each client's own CPU time
// per Get is shown: it measures the client's cost even when the machine is busy.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KmipClient, Tag } from '../main/kmip';
import { FrameReader } from '../main/kmip/transport';
import { vector } from '../fuzz/vectors';
import type { KmipClientOptions } from '../main/kmip';
import { pykmipClientOptions } from '../tests/support/services';
import { servicesOrRerun } from './services';
import type { TestServices } from '../tests/support/services';
import { formatCodecBench, runCodecBench } from './codec-bench';
import { startFixedGetResponder } from './fixed-get-responder';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
const SECONDS = Number(process.env.KMIP_BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.KMIP_BENCH_ROUNDS ?? 3);
const WARM_UP_MS = 1000;
const PIPELINE_DEPTH = 8;

interface Rate {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  /** CPU time of the client's process per Get */
  cpuMicrosPerOp: number;
}

interface Case {
  server: string;
  client: string;
  run(): Promise<Rate>;
  /** the best round so far */
  best?: Rate;
  /** the PyKMIP case this one is compared with */
  baseline?: Case;
}

/** Runs `op` back to back (warm-up first) and counts completions for SECONDS. */
async function measure(op: () => Promise<unknown>, concurrency = 1): Promise<Rate> {
  const warmUntil = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUntil) await op();
  let ops = 0;
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  const stopAt = started + SECONDS * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      await op();
      ops += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  return { ops, seconds, opsPerSecond: ops / seconds, cpuMicrosPerOp: (cpu.user + cpu.system) / ops };
}

function clientOptions(port: number, pipelined: boolean): KmipClientOptions {
  return pykmipClientOptions({ port, timeoutMs: 30_000, pipelined, protocol: '1.2' });
}

async function ourGets(services: TestServices, port: number, uid: string, pipelined: boolean, concurrency = 1): Promise<Rate> {
  const client = await KmipClient.connect(clientOptions(port, pipelined));
  try {
    return await measure(() => client.get(uid), concurrency);
  } finally {
    await client.close();
  }
}

/** Sequential round trips of one fixed Get request over a bare node:tls socket: no KMIP code runs. */
async function bareTlsRoundTrips(services: TestServices, port: number): Promise<Rate> {
  const { pki } = services;
  const request = vector('pykmip010-get-aes256-request').bytes;
  const socket = tlsConnect({
    host: services.host,
    port,
    ca: readFileSync(pki.caCert),
    cert: readFileSync(pki.clientCert),
    key: readFileSync(pki.clientKey),
    minVersion: 'TLSv1.2',
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  socket.setNoDelay(true);
  const reader = new FrameReader({ expectedTag: Tag.ResponseMessage, maxMessageBytes: 1 << 20, peer: 'the responder' });
  let answered: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    if (reader.push(chunk).length > 0) answered?.();
  });
  try {
    return await measure(
      () =>
        new Promise<void>((resolve) => {
          answered = resolve;
          socket.write(request);
        }),
    );
  } finally {
    socket.destroy();
  }
}

function pykmipGets(services: TestServices, port: number, uid: string): Promise<Rate> {
  const { pki } = services;
  const args = [join(BENCH_DIR, 'kmip-bench-pykmip.py'), services.host, String(port), pki.clientCert, pki.clientKey, pki.caCert, uid, String(SECONDS)];
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Rate);
      else reject(new Error(`PyKMIP client exited with ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** The codec engineer's comparison (bench/codec-bench.ts). */
async function codecSection(): Promise<string> {
  const report = await runCodecBench({ seconds: SECONDS });
  return `(a) TTLV codec vs PyKMIP's kmip.core.messages, same bytes, ${SECONDS} s per figure\n${formatCodecBench(report)}\n`;
}

function formatTable(cases: Case[]): string {
  const header = ['server', 'client', 'Get ops/s', 'vs PyKMIP', 'client CPU µs/Get', 'CPU vs PyKMIP'];
  const body = cases.map((c) => {
    const best = c.best as Rate;
    const base = c.baseline?.best;
    return [
      c.server,
      c.client,
      best.opsPerSecond.toFixed(0),
      base ? `${(best.opsPerSecond / base.opsPerSecond).toFixed(1)}x` : '1.0x',
      best.cpuMicrosPerOp.toFixed(0),
      base ? `${(base.cpuMicrosPerOp / best.cpuMicrosPerOp).toFixed(1)}x less` : '-',
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => (cells[i] as string).length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function getSection(services: TestServices): Promise<string> {
  // A key to Get on the real server (objects are visible to their owner: same client certificate).
  const setup = await KmipClient.connect(clientOptions(services.port, false));
  const { uniqueIdentifier: uid } = await setup.createAesKey({ length: 256, name: `kmip-bench-${Date.now()}` });
  await setup.close();

  const { pki } = services;
  const responder = await startFixedGetResponder({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert }, uid);
  const cases: Case[] = [];
  try {
    const targets = [
      { server: 'fixed-Get responder', port: responder.port },
      { server: 'PyKMIP 0.10 server', port: services.port },
    ];
    for (const { server, port } of targets) {
      const pykmip: Case = { server, client: 'PyKMIP ProxyKmipClient', run: () => pykmipGets(services, port, uid) };
      if (port === responder.port) {
        cases.push({ server, client: 'bare node:tls round trips, no KMIP code (ceiling)', run: () => bareTlsRoundTrips(services, port), baseline: pykmip });
      }
      cases.push(
        pykmip,
        { server, client: 'kmip-console, Nbio 0', run: () => ourGets(services, port, uid, false), baseline: pykmip },
        { server, client: 'kmip-console, Nbio 1', run: () => ourGets(services, port, uid, true), baseline: pykmip },
        {
          server,
          client: `kmip-console, Nbio 1, ${PIPELINE_DEPTH} in flight (not sequential)`,
          run: () => ourGets(services, port, uid, true, PIPELINE_DEPTH),
          baseline: pykmip,
        },
      );
    }
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const c of cases) {
        const rate = await c.run();
        if (!c.best || rate.opsPerSecond > c.best.opsPerSecond) c.best = rate;
      }
      console.error(`kmip-bench: round ${round}/${ROUNDS} done`);
    }
  } finally {
    responder.stop();
  }
  return `(b) Get over one TLS 1.2 connection, best of ${ROUNDS} interleaved rounds of ${SECONDS} s (after ${WARM_UP_MS} ms warm-up)\n${formatTable(cases)}\n`;
}

async function main(): Promise<void> {
  const services = servicesOrRerun(import.meta.url);
  console.log(`kmip-bench: node ${process.version}, PyKMIP server at ${services.host}:${services.port}\n`);
  console.log(await codecSection());
  console.log(await getSection(services));
}

await main();
