// Times Apply and Recover against the real PyKMIP server, next to PyKMIP's own client
// (ProxyKmipClient, /usr/bin/python3) doing the same KMIP operations in the same run:
//   Apply:   connect, Register, Activate, Get          (PyKMIP: bench/eks-bench-pykmip.py)
//   Recover: connect, Locate by Name, Get
// Rounds are interleaved (each client once per round). Three rows per workflow: the full kmip-console workflow (runApply / runRecover: product default
// protocol 'auto', entropy Query, store header written with fsync, OS keychain), this project's
// KmipClient doing only the KMIP operations (KMIP 1.2, like ProxyKmipClient), and ProxyKmipClient.
// Run: `npx tsx bench/eks-bench.ts` (re-runs itself under scripts/with-services.sh).
// EKS_BENCH_ITERATIONS (default 20) and EKS_BENCH_WARMUP (default 3) set the counts.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runApply, runRecover } from '../main/eks';
import { KmipClient, type KmipClientOptions } from '../main/kmip';
import { KeychainSecretStore } from '../main/secrets';
import { keychainUnlockKeys } from '../main/store';
import { pykmipClientOptions, type TestServices } from '../tests/support/services';
import { servicesOrRerun } from './services';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ITERATIONS = Number(process.env.EKS_BENCH_ITERATIONS ?? 20);
const WARMUP = Number(process.env.EKS_BENCH_WARMUP ?? 3);

interface Row {
  workflow: 'Apply' | 'Recover';
  client: string;
  operations: string;
  samples: number[];
}

function options(protocol: KmipClientOptions['protocol']): KmipClientOptions {
  return pykmipClientOptions({ timeoutMs: 30_000, autoReconnect: true, protocol });
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

/** One Apply then one Recover of the full kmip-console workflows, on `dataDir`. */
async function workflowRound(dataDir: string): Promise<{ apply: number; recover: number }> {
  const connection = options('auto');
  const unlockKeys = keychainUnlockKeys(new KeychainSecretStore());
  let storeId = '';
  const apply = await timed(async () => {
    storeId = (await runApply({ dataDir, unlockKeys, connection, disableEntropySeed: false, commitSettings: async () => undefined }, () => undefined)).storeId;
  });
  await unlockKeys.remove(storeId);
  const recover = await timed(() => runRecover({ dataDir, unlockKeys, connection, source: { kind: 'store' } }, () => undefined));
  return { apply, recover };
}

/** The same KMIP operations as ProxyKmipClient does, with this project's KmipClient. */
async function kmipOnlyRound(): Promise<{ apply: number; recover: number }> {
  const connection = options('1.2');
  const name = `eks-bench-kmip-console/${randomBytes(8).toString('hex')}`;
  const apply = await timed(async () => {
    const client = await KmipClient.connect(connection);
    const { uniqueIdentifier } = await client.registerSymmetricKey({ key: randomBytes(32), name });
    await client.activate(uniqueIdentifier);
    await client.get(uniqueIdentifier);
    await client.close();
  });
  const recover = await timed(async () => {
    const client = await KmipClient.connect(connection);
    const { uniqueIdentifiers } = await client.locate({ name });
    await client.get(uniqueIdentifiers[0]!);
    await client.close();
  });
  return { apply, recover };
}

/** One timed iteration of ProxyKmipClient (after one untimed warm-up iteration in the same process). */
function pykmipRound(services: TestServices): { apply: number; recover: number } {
  const { pki } = services;
  const run = spawnSync(
    '/usr/bin/python3',
    [join(BENCH_DIR, 'eks-bench-pykmip.py'), services.host, String(services.port), pki.clientCert, pki.clientKey, pki.caCert, '1', '1'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (run.status !== 0) throw new Error(`eks-bench-pykmip.py failed (${run.status}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { apply: number[]; recover: number[] };
  return { apply: result.apply[0]!, recover: result.recover[0]! };
}

/**
 * Interleaved rounds (each client once per round), so that load from other processes and the growth
 * of PyKMIP's database (Locate scans all of it) affect every client alike.
 */
async function measure(services: TestServices): Promise<Row[]> {
  const clients = [
    { name: 'kmip-console runApply / runRecover', round: (dataDir: string) => workflowRound(dataDir) },
    { name: 'kmip-console KmipClient', round: () => kmipOnlyRound() },
    { name: 'PyKMIP ProxyKmipClient', round: async () => pykmipRound(services) },
  ];
  const samples = clients.map(() => ({ apply: [] as number[], recover: [] as number[] }));
  const dataDir = await mkdtemp(join(tmpdir(), 'eks-bench-'));
  try {
    for (let round = 0; round < WARMUP + ITERATIONS; round++) {
      for (const [i, client] of clients.entries()) {
        const result = await client.round(dataDir);
        if (round < WARMUP) continue;
        samples[i]!.apply.push(result.apply);
        samples[i]!.recover.push(result.recover);
      }
      if ((round + 1) % 5 === 0) console.error(`eks-bench: round ${round + 1}/${WARMUP + ITERATIONS}`);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  const [workflow, kmipOnly, pykmip] = samples as [typeof samples[0], typeof samples[0], typeof samples[0]];
  return [
    { workflow: 'Apply', client: 'kmip-console runApply', operations: 'connect+negotiate, Query, Register, Activate, Get, header fsync', samples: workflow.apply },
    { workflow: 'Apply', client: 'kmip-console KmipClient', operations: 'connect, Register, Activate, Get (KMIP 1.2)', samples: kmipOnly.apply },
    { workflow: 'Apply', client: 'PyKMIP ProxyKmipClient', operations: 'connect, Register, Activate, Get (KMIP 1.2)', samples: pykmip.apply },
    { workflow: 'Recover', client: 'kmip-console runRecover', operations: 'connect+negotiate, Get, unwrap+verify, keychain, header fsync', samples: workflow.recover },
    { workflow: 'Recover', client: 'kmip-console KmipClient', operations: 'connect, Locate, Get (KMIP 1.2)', samples: kmipOnly.recover },
    { workflow: 'Recover', client: 'PyKMIP ProxyKmipClient', operations: 'connect, Locate, Get (KMIP 1.2)', samples: pykmip.recover },
  ];
}

function stats(samples: number[]): { median: number; mean: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), mean: samples.reduce((a, b) => a + b, 0) / samples.length, p90: at(0.9) };
}

function table(rows: Row[]): string {
  const lines = rows.map((row) => {
    const s = stats(row.samples);
    return [row.workflow, row.client, s.median.toFixed(1), s.mean.toFixed(1), s.p90.toFixed(1), row.operations];
  });
  const header = ['workflow', 'client', 'median ms', 'mean ms', 'p90 ms', 'operations (each timed from connect to close)'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines].map((cells) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<void> {
  const services = servicesOrRerun(import.meta.url);
  console.log(`eks-bench: node ${process.version}, PyKMIP server at ${services.host}:${services.port}, ${ITERATIONS} iterations after ${WARMUP} warm-up\n`);
  console.log(table(await measure(services)));
}

await main();
