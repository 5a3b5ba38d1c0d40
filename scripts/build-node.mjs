// Bundles the Node-side entry points (CLI, Electron main, preload) with esbuild.
// npm packages stay external: they are resolved from node_modules at run time.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'main/cli/index.ts', out: 'dist/cli.cjs' },
  { in: 'main/electron/main.ts', out: 'dist/electron/main.cjs' },
  { in: 'preload/index.ts', out: 'dist/electron/preload.cjs' },
];

for (const entry of entries) {
  if (!existsSync(entry.in)) throw new Error(`build-node: missing entry point ${entry.in}`);
  await build({
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}
