// Codec benchmark: decode and encode ops/s of this TTLV codec against PyKMIP's own (kmip.core.messages with
// BytearrayStream, run by /usr/bin/python3) on the same Get-response and Query-response bytes, in the same run.
// Run: npx tsx bench/codec-bench.ts [--seconds N] [--rounds N]. bench/kmip-bench.ts calls runCodecBench() + formatCodecBench().
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeTtlv, encodeTtlv, type TtlvItem } from '../main/kmip/ttlv';
import { vector } from '../fuzz/vectors';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
export const CODEC_BENCH_MESSAGES = ['pykmip010-get-aes256-response', 'pykmip010-query-response'] as const;

export interface CodecBenchRow {
  message: string;
  bytes: number;
  ours: { decode: number; encode: number };
  pykmip: { decode: number; encode: number } | undefined;
  /** ours / PyKMIP, ops/s */
  ratio: { decode: number; encode: number } | undefined;
}

export interface CodecBenchReport {
  seconds: number;
  /** interleaved rounds (ours, then PyKMIP's); each figure is its best round */
  rounds: number;
  rows: CodecBenchRow[];
  /** why PyKMIP figures are missing, when they are */
  pykmipError: string | undefined;
}

/** Calls `operation` in batches for about `seconds` (after a warm-up) and returns calls per second. */
function opsPerSecond(operation: () => unknown, seconds: number): number {
  for (let i = 0; i < 2000; i++) operation();
  let count = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < 1000; i++) sink += operation() ? 1 : 0;
    count += 1000;
    elapsed = performance.now() - start;
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the results observable to the optimiser
  return count / (elapsed / 1000);
}

function measurePykmip(messages: Record<string, Buffer>, seconds: number): { results?: Record<string, { decode: number; encode: number; roundTrip: boolean }>; error?: string } {
  const input = JSON.stringify({ seconds, messages: Object.fromEntries(Object.entries(messages).map(([name, bytes]) => [name, bytes.toString('hex')])) });
  const child = spawnSync(PYTHON, [path.join(BENCH_DIR, 'codec-bench-pykmip.py')], { input, encoding: 'utf8', timeout: 600_000 });
  if (child.error) return { error: `${PYTHON} could not run: ${child.error.message}` };
  if (child.status !== 0) return { error: `PyKMIP benchmark failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  return { results: JSON.parse(child.stdout) as Record<string, { decode: number; encode: number; roundTrip: boolean }> };
}

type OpRates = { decode: number; encode: number };

/** The higher of each figure. */
function best(a: OpRates | undefined, b: OpRates): OpRates {
  return a ? { decode: Math.max(a.decode, b.decode), encode: Math.max(a.encode, b.encode) } : b;
}

/**
 * Measures this codec and PyKMIP's in `rounds` alternating rounds and keeps each figure's best round:
 * a shared machine slows down for seconds at a time, and one slow spell must not decide a ratio.
 */
export async function runCodecBench(options: { seconds?: number; rounds?: number } = {}): Promise<CodecBenchReport> {
  const seconds = options.seconds ?? 1;
  const rounds = options.rounds ?? 1;
  const messages = Object.fromEntries(CODEC_BENCH_MESSAGES.map((name) => [name, vector(name).bytes]));
  const items = Object.fromEntries(
    Object.entries(messages).map(([name, bytes]) => {
      const item = decodeTtlv(bytes);
      if (!encodeTtlv(item).equals(bytes)) throw new Error(`codec-bench: ${name} does not round-trip`);
      return [name, item];
    }),
  );
  const ours: Record<string, OpRates> = {};
  const theirs: Record<string, OpRates> = {};
  let pykmipError: string | undefined;
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, bytes] of Object.entries(messages)) {
      const item = items[name] as TtlvItem;
      ours[name] = best(ours[name], { decode: opsPerSecond(() => decodeTtlv(bytes), seconds), encode: opsPerSecond(() => encodeTtlv(item), seconds) });
    }
    const pykmip = measurePykmip(messages, seconds);
    pykmipError ??= pykmip.error;
    for (const [name, rates] of Object.entries(pykmip.results ?? {})) theirs[name] = best(theirs[name], rates);
  }
  const rows = Object.entries(messages).map(([name, bytes]): CodecBenchRow => {
    const mine = ours[name] as OpRates;
    const pykmip = pykmipError === undefined ? theirs[name] : undefined;
    return {
      message: name,
      bytes: bytes.length,
      ours: mine,
      pykmip,
      ratio: pykmip && { decode: mine.decode / pykmip.decode, encode: mine.encode / pykmip.encode },
    };
  });
  return { seconds, rounds, rows, pykmipError };
}

export function formatCodecBench(report: CodecBenchReport): string {
  const fmt = (n: number | undefined) => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
  const ratio = (n: number | undefined) => (n === undefined ? '-' : `${n.toFixed(1)}x`);
  const header = ['message', 'bytes', 'op', 'kmip-console ops/s', 'PyKMIP ops/s', 'ratio'];
  const lines = report.rows.flatMap((row) =>
    (['decode', 'encode'] as const).map((op) => [row.message, String(row.bytes), op, fmt(row.ours[op]), fmt(row.pykmip?.[op]), ratio(row.ratio?.[op])]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const render = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const out = [render(header), ...lines.map(render)];
  if (report.pykmipError) out.push(`PyKMIP figures missing: ${report.pykmipError}`);
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const option = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const report = await runCodecBench({ seconds: option('--seconds', 1), rounds: option('--rounds', 1) });
  process.stdout.write(`${formatCodecBench(report)}\n`);
}
