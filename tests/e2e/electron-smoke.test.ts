// Smoke test of the real Electron app through playwright-core's Electron mode. Runs wherever the
// Electron binary is installed; skipped (with the reason) where it is not, e.g. CI machines that
// install with ELECTRON_SKIP_BINARY_DOWNLOAD=1. The 'electron' module itself is never loaded here:
// its path.txt says where the binary is.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch-dirs';
import { REPO_ROOT } from '../support/services';
import { buildRenderer } from './harness';

function electronBinary(): string | null {
  const pathFile = path.join(REPO_ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(REPO_ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const name = binary
  ? 'Electron smoke test'
  : 'Electron smoke test (skipped: no Electron binary — node_modules/electron/path.txt is missing because it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1; run `npm ci` with network access to get it)';

// Said in the run's output too: the reporter lists a skipped file without its suite's name.
if (!binary) process.stderr.write(`${name}\n`);

describe.skipIf(!binary)(name, () => {
  let app: ElectronApplication;
  let appWindow: Page;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build-node.mjs')], { cwd: REPO_ROOT });
    await buildRenderer();
    const home = scratchDir('kmip-electron-');
    app = await _electron.launch({
      executablePath: binary!,
      args: [REPO_ROOT, '--no-sandbox', '--disable-gpu'],
      cwd: REPO_ROOT,
      // A private HOME keeps the app's data folder (userData) out of the developer's profile.
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
    });
    appWindow = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens one window on app:// with the dialog rendered', async () => {
    await appWindow.getByRole('heading', { name: 'External Key Server (KMIP)' }).waitFor({ timeout: 30_000 });
    expect(appWindow.url()).toBe('app://kmip-console/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it('runs the renderer sandboxed and isolated, with only window.kmip exposed', async () => {
    // getLastWebPreferences() is documented but missing from electron.d.ts.
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null };
      return contents.getLastWebPreferences();
    });
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    const page = await appWindow.evaluate(() => ({
      frozen: Object.isFrozen(window.kmip),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(page).toEqual({ frozen: true, require: 'undefined', process: 'undefined' });
  });

  it('refuses navigation and new windows', async () => {
    await appWindow.evaluate(() => {
      window.open('https://example.com/');
      window.location.href = 'https://example.com/';
    });
    await appWindow.waitForTimeout(500);
    expect(appWindow.url()).toBe('app://kmip-console/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it('sends the CSP header with the page', async () => {
    const csp = await app.evaluate(async ({ net }) => {
      const response = await net.fetch('app://kmip-console/index.html');
      return response.headers.get('content-security-policy');
    });
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline/);
  });
});
