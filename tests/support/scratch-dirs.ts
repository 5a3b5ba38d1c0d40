// Temporary folders for tests, removed when the test file ends (pass or fail). The afterAll below
// is registered while vitest collects the file that imports this module: with vitest's default
// per-file isolation each test file evaluates this module afresh and so gets its own hook. It runs
// after the file's own afterAll hooks (hooks run in reverse order), so servers and child processes
// that use a folder are stopped before it goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh folder `<tmpdir>/<prefix>XXXXXX`, removed after the calling test file's tests. Call it
 * from hooks and tests, not while the file is collected: a file whose tests are all skipped runs
 * no hooks, so such a folder would stay.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
