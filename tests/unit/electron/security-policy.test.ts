import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAppResponse } from '../../../main/electron/app-response';
import { contentSecurityPolicy, CSP_NONCE_PLACEHOLDER, META_CONTENT_SECURITY_POLICY } from '../../../main/electron/content-security-policy';
import { isTrustedSender } from '../../../main/electron/ipc-sender';
import {
  denyPermissionCheck,
  denyPermissionRequest,
  shouldBlockNavigation,
  windowOpenDecision,
} from '../../../main/electron/navigation-policy';
import { mainWindowOptions } from '../../../main/electron/window-options';
import { scratchDir } from '../../support/scratch-dirs';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((part) => {
    const [name, ...values] = part.trim().split(/\s+/);
    return [name ?? '', values];
  }));
}

describe('window web preferences', () => {
  const options = mainWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', packaged: true, backgroundColor: '#fff' });
  const prefs = options.webPreferences ?? {};

  it('isolate and sandbox the renderer', () => {
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('turn devtools off only in a packaged build', () => {
    expect(prefs.devTools).toBe(false);
    const dev = mainWindowOptions({ preloadPath: '/p.cjs', packaged: false, backgroundColor: '#fff' });
    expect(dev.webPreferences?.devTools).toBe(true);
  });
});

describe('content security policy', () => {
  const nonce = 'AAAAAAAAAAAAAAAAAAAAAAAA';
  const csp = directives(contentSecurityPolicy(nonce));

  it('allows scripts and connections from the app origin only', () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows styles by nonce, never unsafe-inline or unsafe-eval', () => {
    expect(csp.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(contentSecurityPolicy(nonce)).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('refuses a short or malformed nonce', () => {
    expect(() => contentSecurityPolicy('abc')).toThrow();
    expect(() => contentSecurityPolicy("x'; script-src *; '")).toThrow();
  });
});

describe('app:// responses', () => {
  it('serve files with the CSP header and a fresh nonce stamped into the page', async () => {
    // The served root sits inside the scratch folder, so the file outside it is in the scratch folder too.
    const scratch = scratchDir('kmip-renderer-');
    const root = path.join(scratch, 'root');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), `<meta name="csp-nonce" content="${CSP_NONCE_PLACEHOLDER}">`);
    await writeFile(path.join(root, 'assets', 'a.js'), 'console.log(1)');
    await writeFile(path.join(scratch, 'outside.js'), 'secret');

    const first = await buildAppResponse(root, '/');
    const second = await buildAppResponse(root, '/index.html');
    const nonceOf = (r: typeof first) => /'nonce-([^']+)'/.exec(r.headers['Content-Security-Policy'] ?? '')?.[1];
    expect(first.status).toBe(200);
    expect(first.headers['Content-Type']).toMatch(/text\/html/);
    expect(first.body.toString()).toBe(`<meta name="csp-nonce" content="${nonceOf(first)}">`);
    expect(nonceOf(first)).not.toBe(nonceOf(second));

    const script = await buildAppResponse(root, '/assets/a.js');
    expect(script.status).toBe(200);
    expect(script.headers['Content-Type']).toMatch(/javascript/);
    expect(script.headers['X-Content-Type-Options']).toBe('nosniff');

    expect((await buildAppResponse(root, '/../outside.js')).status).toBe(404);
    expect((await buildAppResponse(root, '/%2e%2e/outside.js')).status).toBe(404);
    expect((await buildAppResponse(root, '/missing.js')).status).toBe(404);
    expect((await buildAppResponse(root, '/assets/a.exe')).status).toBe(404);
    expect((await buildAppResponse(root, '/missing.js')).headers['Content-Security-Policy']).toMatch(/default-src 'self'/);
  });
});

describe('navigation and permissions', () => {
  it('block every navigation and every new window', () => {
    expect(shouldBlockNavigation('https://example.com/')).toBe(true);
    expect(shouldBlockNavigation('app://kmip-console/index.html')).toBe(true);
    expect(windowOpenDecision({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('deny every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      denyPermissionRequest({}, permission, (value) => { granted = value; });
      expect(granted).toBe(false);
      expect(denyPermissionCheck({}, permission)).toBe(false);
    }
  });
});

describe('IPC sender check', () => {
  const ours = { frameUrl: 'app://kmip-console/index.html', isMainFrame: true, webContentsId: 7 };

  it('accepts the main frame of our window on the app origin', () => {
    expect(isTrustedSender(ours, 7)).toBe(true);
  });

  it('refuses other windows, sub-frames, other origins and a missing frame', () => {
    expect(isTrustedSender(ours, null)).toBe(false);
    expect(isTrustedSender({ ...ours, webContentsId: 8 }, 7)).toBe(false);
    expect(isTrustedSender({ ...ours, isMainFrame: false }, 7)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'https://kmip-console/index.html' }, 7)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'app://evil/index.html' }, 7)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'app://user:pw@kmip-console/' }, 7)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'file:///index.html' }, 7)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: undefined }, 7)).toBe(false);
  });
});

describe('CSP meta tag in renderer/index.html', () => {
  it('equals the header policy minus frame-ancestors (header-only)', async () => {
    const { readFile } = await import('node:fs/promises');
    const html = await readFile('renderer/index.html', 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(META_CONTENT_SECURITY_POLICY);
    expect(meta).not.toMatch(/frame-ancestors/);
    expect(contentSecurityPolicy('A'.repeat(24)).replace("; frame-ancestors 'none'", '')).toBe(
      META_CONTENT_SECURITY_POLICY.replace(CSP_NONCE_PLACEHOLDER, 'A'.repeat(24)),
    );
  });
});
