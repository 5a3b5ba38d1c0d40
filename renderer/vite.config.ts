// Builds the renderer into dist/renderer (served by the app:// protocol handler) and prints the
// production bundle size, raw and gzip, once the bundle is written.
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Sums the emitted JS and CSS and prints one line per kind plus the total. */
function bundleSizeReport(): Plugin {
  return {
    name: 'kmip-bundle-size-report',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const totals = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 } };
      const encoder = new TextEncoder();
      for (const output of Object.values(bundle)) {
        const kind = output.fileName.endsWith('.js') ? 'js' : output.fileName.endsWith('.css') ? 'css' : null;
        if (!kind) continue;
        const source = output.type === 'chunk' ? output.code : output.source;
        const bytes = typeof source === 'string' ? encoder.encode(source) : source;
        totals[kind].raw += bytes.byteLength;
        totals[kind].gzip += await gzipSize(bytes);
      }
      const raw = totals.js.raw + totals.css.raw;
      const gzip = totals.js.gzip + totals.css.gzip;
      process.stdout.write(
        `\nRenderer production bundle size: total ${formatKiB(raw)} raw, ${formatKiB(gzip)} gzip ` +
          `(JS ${formatKiB(totals.js.raw)} / gzip ${formatKiB(totals.js.gzip)}, ` +
          `CSS ${formatKiB(totals.css.raw)} / gzip ${formatKiB(totals.css.gzip)})\n`,
      );
    },
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), bundleSizeReport()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    // The CSP forbids inline scripts: keep the module-preload polyfill out of index.html.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // One chunk for a desktop app loaded from disk; the size is reported above instead.
    chunkSizeWarningLimit: 1024,
  },
});
