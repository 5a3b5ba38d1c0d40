import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The preload runs sandboxed: it can require 'electron' and nothing else, and must expose exactly
// one object. Bundled here in memory, never loaded (loading 'electron' in Node is forbidden).
describe('preload bundle', () => {
  it('requires only electron and exposes one frozen window.kmip', async () => {
    const result = await build({
      entryPoints: ['preload/index.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const requires = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    const exposures = [...code.matchAll(/exposeInMainWorld\(\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(exposures).toEqual(['kmip']);
    expect(code).toMatch(/exposeInMainWorld\("kmip", Object\.freeze\(/);
    expect(code).not.toMatch(/ipcRenderer\.send\(|ipcRenderer\.sendSync\(/);
  });
});
