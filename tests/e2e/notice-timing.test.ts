// The window's notices in Debian Chromium against the real main/app handlers: news (success, info) hides
// by itself after a few seconds; a warning stays until the operator closes it, and a click elsewhere
// does not dismiss it. The page's clock is Playwright's, so no test waits in real time.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { entropyAtStart } from '../../main/app/entropy-at-start';
import { SettingsRepository } from '../../main/settings';
import { scratchDir } from '../support/scratch-dirs';
import { testHandlers } from '../support/test-handlers';
import { describeWithServices } from '../support/services';
import { MemorySecretStore } from '../unit/settings/memory-secret-store';
import { buildRenderer, installBridge, launchChromium, startRendererServer, type RendererServer } from './harness';

describeWithServices('Notices: news hides by itself, a warning stays until closed (Chromium, real handlers)', () => {
  let server: RendererServer;
  let browser: Browser;
  let page: Page;
  let settings: SettingsRepository;
  let notice: Locator;

  beforeAll(async () => {
    await buildRenderer();
    server = await startRendererServer();
    const dataDir = scratchDir('kmip-e2e-notices-');
    const secrets = new MemorySecretStore();
    settings = new SettingsRepository({ dataDir, secrets });
    const handlers = testHandlers(dataDir, secrets, { settings, entropyAtStart: entropyAtStart(settings) });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.clock.install();
    await installBridge(page, handlers);
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'External Key Server (KMIP)' }).waitFor();
    notice = page.locator('.MuiSnackbar-root [role="alert"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a warning (a field changed outside this window) stays past the time news is shown, and through a click elsewhere, until closed', async () => {
    // Another window or a kmip-console command saves the Description meanwhile.
    await settings.saveField('description', 'Changed by another window');
    await page.getByRole('textbox', { name: 'Server Name', exact: true }).fill('Lab server');
    await page.getByRole('button', { name: 'Save Server Name', exact: true }).click();
    await expect.poll(() => notice.textContent()).toMatch(/^Description was changed outside this window/);

    await page.clock.fastForward(60_000);
    await page.getByRole('textbox', { name: 'Server Name', exact: true }).click();
    await page.clock.fastForward(60_000);
    expect(await notice.isVisible()).toBe(true);

    await notice.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => notice.count()).toBe(0);
  });

  it('news (Revert done) hides by itself after a few seconds', async () => {
    await page.getByRole('button', { name: 'Revert', exact: true }).click();
    await page.getByRole('dialog', { name: 'Revert to the applied settings?' }).getByRole('button', { name: 'Revert' }).click();
    await expect.poll(() => notice.textContent()).toBe('Pending changes reverted to the applied settings.');

    await page.clock.fastForward(7_000);
    await expect.poll(() => notice.count()).toBe(0);
  });
});
