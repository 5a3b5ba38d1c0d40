// Settings and objects changed outside a window (another window, a kmip-console command) while it is open
// (explore report s18-x4, F1, F2, F6), in Debian Chromium against the real main/app handlers: the window
// looks again when it gets the focus back, and an Apply it asks for with settings it no longer shows is
// refused, applies nothing, and leaves the window showing what is saved. No key server is needed: the
// refusal comes before any connection.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entropyAtStart } from '../../main/app/entropy-at-start';
import { SettingsRepository } from '../../main/settings';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../main/store';
import { scratchDir } from '../support/scratch-dirs';
import { testHandlers } from '../support/test-handlers';
import { MemorySecretStore } from '../unit/settings/memory-secret-store';
import { CHROMIUM_PATH, buildRenderer, installBridge, launchChromium, startRendererServer, type RendererServer } from './harness';

describe.skipIf(!existsSync(CHROMIUM_PATH))('Changes made outside the window (Chromium, real handlers)', () => {
  let server: RendererServer;
  let browser: Browser;
  let page: Page;
  /** the data folder as a kmip-console command sees it */
  let cli: SettingsRepository;
  let store: ObjectStore;

  const notice = () => page.locator('.MuiSnackbar-root [role="alert"]');
  const description = () => page.getByRole('textbox', { name: 'Description', exact: true });
  /** The operator comes back to the window (Chromium in a test never loses the focus by itself). */
  const comeBack = () => page.evaluate(() => window.dispatchEvent(new Event('focus')));

  beforeAll(async () => {
    await buildRenderer();
    server = await startRendererServer();
    const dataDir = scratchDir('kmip-e2e-changed-elsewhere-');
    const secrets = new MemorySecretStore();
    cli = new SettingsRepository({ dataDir, secrets });
    await cli.saveField('serverName', 'lab');
    await cli.saveField('hostName', '127.0.0.1');
    store = await ObjectStore.initialize(storeFilePath(dataDir), keychainUnlockKeys(secrets));
    await store.generate({ name: 'first-key', size: 32 }); // the view lists a store with objects in a table
    const settings = new SettingsRepository({ dataDir, secrets });
    const handlers = testHandlers(dataDir, secrets, { settings, entropyAtStart: entropyAtStart(settings) });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await installBridge(page, handlers);
    await page.goto(server.url);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await description().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a setting saved elsewhere once the window gets the focus back, and says it was changed outside it', async () => {
    await cli.saveField('description', 'saved by the command line');
    await comeBack();
    await expect.poll(() => description().inputValue()).toBe('saved by the command line');
    expect(await notice().textContent()).toMatch(/^Description was changed outside this window/);
    await notice().getByRole('button', { name: 'Close' }).click();
  });

  it('refuses an Apply of settings the window no longer shows: nothing is applied, and the window then shows them', async () => {
    await cli.saveField('description', 'saved meanwhile, never shown');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const outcome = page.getByTestId('run-apply').getByTestId('run-outcome');
    await expect.poll(() => outcome.getAttribute('data-status')).toBe('failed');
    expect(await outcome.textContent()).toMatch(/changed outside this window since it showed them .*so nothing was applied/);
    expect(await cli.loadApplied()).toBeNull();
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => description().inputValue()).toBe('saved meanwhile, never shown');
  });

  it('lists objects added and deleted elsewhere once the window gets the focus back', async () => {
    await page.getByRole('button', { name: 'Object store' }).click();
    await page.getByTestId('store-table').waitFor();
    const rows = page.getByTestId('store-row');
    const before = await rows.count();
    await store.generate({ name: 'added-by-the-cli', size: 32 });
    await comeBack();
    await expect.poll(() => rows.count()).toBe(before + 1);
    await store.delete('added-by-the-cli');
    await comeBack();
    await expect.poll(() => rows.count()).toBe(before);
  });
});
