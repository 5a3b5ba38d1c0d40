// The minimal KMIP/TLS responder of the Get benchmark (issue 2, point 7): it answers every request
// with one fixed Get response, so that a client's own cost per request shows. The serving is done by
// bench/fixed-get-responder.c (OpenSSL), compiled here on first use; this module supplies the
// response. It is a Get of an AES-256 key captured from PyKMIP 0.10.0 (vector
// pykmip010-get-aes256-response, KMIP 1.2), with its Unique Identifier set to the one the benchmark
// gets (clients check that the answer names the requested object). The responder echoes a request's
// Unique Batch Item ID, so pipelined requests can be matched.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeTtlv, encodeTtlv, ItemType, Tag } from '../main/kmip/ttlv';
import type { TtlvItem } from '../main/kmip/ttlv';
import { vector } from '../fuzz/vectors';

/** The captured Get response, naming `uniqueIdentifier` in its payload. */
export function fixedGetResponse(uniqueIdentifier: string): Buffer {
  const rename = (item: TtlvItem): TtlvItem => {
    if (item.type === ItemType.Structure) return { ...item, value: item.value.map(rename) };
    if (item.tag === Tag.UniqueIdentifier && item.type === ItemType.TextString) return { ...item, value: uniqueIdentifier };
    return item;
  };
  return encodeTtlv(rename(decodeTtlv(vector('pykmip010-get-aes256-response').bytes)));
}

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'fixed-get-responder.c');

export interface FixedGetResponder {
  port: number;
  stop(): void;
}

/** Compiles the responder into a temporary folder; throws with the compiler's words and the fix. */
function compileResponder(): { binary: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kmip-bench-responder-'));
  const binary = join(dir, 'fixed-get-responder');
  const cc = spawnSync('cc', ['-O2', '-o', binary, SOURCE, '-lssl', '-lcrypto'], { encoding: 'utf8' });
  if (cc.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = cc.error ? cc.error.message : cc.stderr.trim();
    throw new Error(`cannot compile ${SOURCE} (${why}). Install a C compiler and OpenSSL's headers: scripts/install-system-deps.sh installs gcc and libssl-dev.`);
  }
  return { binary, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the responder on a free loopback port with the server identity of the test PKI. */
export async function startFixedGetResponder(identity: { cert: string; key: string; ca: string }, uniqueIdentifier: string): Promise<FixedGetResponder> {
  const responseHex = fixedGetResponse(uniqueIdentifier).toString('hex'); // before compiling: a throw here leaves no folder behind
  const { binary, remove } = compileResponder();
  const child: ChildProcess = spawn(binary, [identity.cert, identity.key, identity.ca, responseHex], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = (): void => {
    child.kill('SIGTERM');
    remove();
  };
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`fixed-get-responder exited with ${code} before listening`)));
    });
    return { port: (JSON.parse(first) as { port: number }).port, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
