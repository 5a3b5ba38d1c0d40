// Loads the TTLV test vectors. tests/vectors is the committed copy of ../shared/vectors, so a clone
// is self-contained; tests/unit/kmip/ttlv-vectors.test.ts checks that the two stay identical.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TtlvVector {
  name: string;
  file: string;
  kmipVersion: string;
  bytes: Buffer;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VECTORS_DIR = path.resolve(REPO_ROOT, 'tests/vectors');
/** The project's shared folder, beside the clone (as in CI); absent in a lone clone. */
export const SHARED_VECTORS_DIR = path.resolve(REPO_ROOT, '../shared/vectors');

export function loadVectors(dir = VECTORS_DIR): TtlvVector[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { name: string; kmip_version: string; hex: string };
      return { name: data.name, file, kmipVersion: data.kmip_version, bytes: Buffer.from(data.hex, 'hex') };
    });
}

export function vector(name: string, vectors = loadVectors()): TtlvVector {
  const found = vectors.find((v) => v.name === name || v.file === `${name}.json`);
  if (!found) throw new Error(`no TTLV vector named ${name} in ${VECTORS_DIR}`);
  return found;
}
