// Looks for secret values in files, texts and process command lines, as raw bytes / UTF-8, hex
// (both cases) and base64 at every byte alignment (so a secret inside a larger base64 blob, or a
// line-wrapped PEM body, is found too).
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface Secret {
  label: string;
  value: Buffer;
}

export interface Finding {
  secret: string;
  encoding: string;
  where: string;
}

interface Needle {
  secret: string;
  encoding: string;
  bytes: Buffer;
}

/** Needles shorter than this would match by chance; secrets used in tests are longer. */
const MIN_NEEDLE_BYTES = 8;

/** base64 of `value` as it appears when preceded by 0, 1 or 2 other bytes, minus the edge characters. */
function base64Variants(value: Buffer): string[] {
  const variants: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), value]).toString('base64').replace(/=+$/, '');
    const head = Math.ceil((offset * 4) / 3);
    const middle = encoded.slice(head, encoded.length - 3);
    if (middle.length >= MIN_NEEDLE_BYTES) variants.push(middle);
  }
  return variants;
}

export function needlesOf(secret: Secret): Needle[] {
  const { label, value } = secret;
  if (value.length < 4) throw new Error(`secret ${label} is too short to search for`);
  const needles: Needle[] = [
    { secret: label, encoding: 'raw/utf8', bytes: value },
    { secret: label, encoding: 'hex', bytes: Buffer.from(value.toString('hex')) },
    { secret: label, encoding: 'HEX', bytes: Buffer.from(value.toString('hex').toUpperCase()) },
  ];
  for (const variant of base64Variants(value)) {
    needles.push({ secret: label, encoding: 'base64', bytes: Buffer.from(variant) });
    needles.push({ secret: label, encoding: 'base64url', bytes: Buffer.from(variant.replace(/\+/g, '-').replace(/\//g, '_')) });
  }
  return needles;
}

export class LeakScanner {
  private readonly needles: Needle[];

  constructor(secrets: Secret[]) {
    this.needles = secrets.flatMap(needlesOf);
  }

  /** Findings in one haystack; also searched with line breaks removed (wrapped PEM / base64). */
  scan(where: string, haystack: Buffer | string): Finding[] {
    const raw = Buffer.isBuffer(haystack) ? haystack : Buffer.from(haystack, 'utf8');
    const unwrapped = Buffer.from(raw.toString('latin1').replace(/\r?\n/g, ''), 'latin1');
    const findings: Finding[] = [];
    for (const needle of this.needles) {
      if (raw.includes(needle.bytes) || unwrapped.includes(needle.bytes)) {
        findings.push({ secret: needle.secret, encoding: needle.encoding, where });
      }
    }
    return findings;
  }

  /** Every regular file under `dir`, recursively. */
  async scanDir(dir: string): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      findings.push(...this.scan(file, await readFile(file)));
    }
    return findings;
  }

  /** The argv of every process visible in /proc (arguments are NUL-separated there). */
  async scanProcessArgs(): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let cmdline: Buffer;
      try {
        cmdline = await readFile(`/proc/${pid}/cmdline`);
      } catch {
        continue; // the process ended meanwhile
      }
      findings.push(...this.scan(`/proc/${pid}/cmdline (${cmdline.toString().replace(/\0/g, ' ').slice(0, 80)})`, cmdline));
    }
    return findings;
  }
}
