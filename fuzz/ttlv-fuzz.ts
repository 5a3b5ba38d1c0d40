// Fuzzer for the TTLV decoder and the KMIP JSON reader. Run: npx tsx fuzz/ttlv-fuzz.ts --iterations 1000000
// Each iteration feeds one mutated vector to decodeTtlv and one mutated KMIP JSON text to parseKmipJson.
// Fails (exit 1) on any error that is not a TtlvError, on an accepted input that does not round-trip, on an
// input that takes longer than --max-input-ms, or when RSS grows more than --max-rss-growth-mb. An input
// over the time limit is timed again (best of 3) before it counts as a failure, so that a pause of the
// machine (GC, scheduler on a loaded host) is told apart from an input that is really slow to process.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { decodeTtlv, encodeTtlv, parseKmipJson, toKmipJson, TtlvError } from '../main/kmip/ttlv';
import { createRng, mutateBytes, mutateJsonText } from './mutate';
import { loadVectors } from './vectors';

export interface FuzzOptions {
  iterations: number;
  seed: number;
  maxInputMs: number;
  maxRssGrowthMb: number;
}

export interface FuzzReport {
  iterations: number;
  seed: number;
  seconds: number;
  /** error code (or ACCEPTED) -> count, for the binary inputs */
  binary: Record<string, number>;
  /** error code (or ACCEPTED) -> count, for the JSON inputs */
  json: Record<string, number>;
  /** slowest input, best of 3 timings when the first one was over the limit */
  slowestInputMs: number;
  /** inputs whose first timing was over the limit but whose re-timing was not (machine pauses) */
  retimed: number;
  maxInputMs: number;
  baselineRssMb: number;
  peakRssMb: number;
  failures: string[];
}

const DEFAULTS: FuzzOptions = { iterations: 1_000_000, seed: 0x5eed, maxInputMs: 1000, maxRssGrowthMb: 256 };
const MAX_FAILURES_KEPT = 20;

export function runFuzz(options: Partial<FuzzOptions> = {}): FuzzReport {
  const opts = { ...DEFAULTS, ...options };
  const vectors = loadVectors();
  const jsonTexts = vectors.map((v) => JSON.stringify(toKmipJson(decodeTtlv(v.bytes))));
  const rng = createRng(opts.seed);
  const report: FuzzReport = {
    iterations: 0, seed: opts.seed, seconds: 0, binary: {}, json: {}, slowestInputMs: 0, retimed: 0, maxInputMs: opts.maxInputMs,
    baselineRssMb: mb(process.memoryUsage.rss()), peakRssMb: 0, failures: [],
  };
  const fail = (message: string) => {
    if (report.failures.length < MAX_FAILURES_KEPT) report.failures.push(message);
  };
  const started = performance.now();

  for (let i = 0; i < opts.iterations; i++) {
    const index = Math.floor(rng() * vectors.length);
    const source = vectors[index]!;
    const donor = vectors[Math.floor(rng() * vectors.length)]!;

    const { bytes, kind } = mutateBytes(source.bytes, rng, donor.bytes);
    const binaryOutcome = timed(() => checkBinary(bytes), opts.maxInputMs, report);
    count(report.binary, binaryOutcome.code);
    const binaryInput = () => Buffer.from(bytes).toString('hex').slice(0, 400);
    if (binaryOutcome.failure) fail(`iteration ${i} (${kind} of ${source.name}): ${binaryOutcome.failure}; input ${binaryInput()}`);
    if (binaryOutcome.ms > opts.maxInputMs) fail(`iteration ${i}: binary input took ${binaryOutcome.ms.toFixed(0)} ms (best of 3); input ${binaryInput()}`);

    const text = mutateJsonText(jsonTexts[index]!, rng);
    const jsonOutcome = timed(() => checkJson(text), opts.maxInputMs, report);
    count(report.json, jsonOutcome.code);
    if (jsonOutcome.failure) fail(`iteration ${i} (JSON of ${source.name}): ${jsonOutcome.failure}; input ${text.slice(0, 400)}`);
    if (jsonOutcome.ms > opts.maxInputMs) fail(`iteration ${i}: JSON input took ${jsonOutcome.ms.toFixed(0)} ms (best of 3); input ${text.slice(0, 400)}`);

    report.iterations = i + 1;
    if ((i & 1023) === 0) {
      report.peakRssMb = Math.max(report.peakRssMb, mb(process.memoryUsage.rss()));
      if (report.peakRssMb - report.baselineRssMb > opts.maxRssGrowthMb) {
        fail(`RSS grew from ${report.baselineRssMb} MB to ${report.peakRssMb} MB (limit +${opts.maxRssGrowthMb} MB)`);
        break;
      }
    }
  }
  report.peakRssMb = Math.max(report.peakRssMb, mb(process.memoryUsage.rss()));
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** Runs `check`; when it is over the limit, times it twice more and keeps the best of the three timings. */
function timed(check: () => Outcome, limitMs: number, report: FuzzReport): Outcome & { ms: number } {
  let t0 = performance.now();
  const outcome = check();
  let ms = performance.now() - t0;
  if (ms > limitMs) {
    for (let retry = 0; retry < 2 && ms > limitMs; retry++) {
      t0 = performance.now();
      check();
      ms = Math.min(ms, performance.now() - t0);
    }
    if (ms <= limitMs) report.retimed++;
  }
  report.slowestInputMs = Math.max(report.slowestInputMs, ms);
  return { ...outcome, ms };
}

interface Outcome {
  code: string;
  failure?: string;
}

/** Decodes; an accepted input must re-encode byte for byte, directly and through the JSON form. */
function checkBinary(bytes: Uint8Array): Outcome {
  let item;
  try {
    item = decodeTtlv(bytes);
  } catch (error) {
    return error instanceof TtlvError ? { code: error.code } : { code: 'UNTYPED', failure: `decodeTtlv threw ${describe(error)}` };
  }
  try {
    if (!encodeTtlv(item).equals(bytes)) return { code: 'ACCEPTED', failure: 'accepted input does not re-encode byte for byte' };
    const viaJson = encodeTtlv(parseKmipJson(JSON.stringify(toKmipJson(item))));
    if (!viaJson.equals(bytes)) return { code: 'ACCEPTED', failure: 'accepted input does not round-trip through KMIP JSON' };
  } catch (error) {
    return { code: 'ACCEPTED', failure: `round trip of an accepted input threw ${describe(error)}` };
  }
  return { code: 'ACCEPTED' };
}

/** Parses; accepted JSON must encode, and the encoding must decode again. */
function checkJson(text: string): Outcome {
  let item;
  try {
    item = parseKmipJson(text);
  } catch (error) {
    return error instanceof TtlvError ? { code: error.code } : { code: 'UNTYPED', failure: `parseKmipJson threw ${describe(error)}` };
  }
  try {
    decodeTtlv(encodeTtlv(item), { maxMessageBytes: Number.MAX_SAFE_INTEGER });
  } catch (error) {
    return { code: 'ACCEPTED', failure: `accepted JSON did not encode and decode: ${describe(error)}` };
  }
  return { code: 'ACCEPTED' };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function count(histogram: Record<string, number>, key: string): void {
  histogram[key] = (histogram[key] ?? 0) + 1;
}

function mb(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}

function parseArgs(argv: string[]): Partial<FuzzOptions> {
  const options: Partial<FuzzOptions> = {};
  const names: Record<string, keyof FuzzOptions> = {
    '--iterations': 'iterations', '--seed': 'seed', '--max-input-ms': 'maxInputMs', '--max-rss-growth-mb': 'maxRssGrowthMb',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i] as string];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isFinite(value)) {
      throw new Error(`usage: npx tsx fuzz/ttlv-fuzz.ts [--iterations N] [--seed N] [--max-input-ms N] [--max-rss-growth-mb N] (bad argument ${argv[i]})`);
    }
    options[key] = value;
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = runFuzz(parseArgs(process.argv.slice(2)));
  const sorted = (h: Record<string, number>) => Object.fromEntries(Object.entries(h).sort((a, b) => b[1] - a[1]));
  process.stdout.write(
    [
      `iterations: ${report.iterations} binary + ${report.iterations} JSON inputs (seed ${report.seed})`,
      `time: ${report.seconds.toFixed(1)} s (${Math.round((2 * report.iterations) / report.seconds)} inputs/s)`,
      `slowest input: ${report.slowestInputMs.toFixed(2)} ms (${report.retimed} first timings over ${report.maxInputMs} ms were machine pauses: re-timed under the limit)`,
      `RSS: baseline ${report.baselineRssMb} MB, peak ${report.peakRssMb} MB`,
      `binary outcomes: ${JSON.stringify(sorted(report.binary))}`,
      `JSON outcomes: ${JSON.stringify(sorted(report.json))}`,
      report.failures.length === 0 ? 'result: PASS' : `result: FAIL\n${report.failures.join('\n')}`,
      '',
    ].join('\n'),
  );
  process.exitCode = report.failures.length === 0 ? 0 : 1;
}
