// The object store view's messages in Debian Chromium against the real main/app handlers (settings and
// store in a temp data folder, an in-memory keychain; no key server is needed): a failed action clears
// the success notice of the one before, and a value longer than main's request schema allows is refused
// at the Value field, with the limit, before anything is sent.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel } from '../../common/ipc';
import { entropyAtStart } from '../../main/app/entropy-at-start';
import { SettingsRepository } from '../../main/settings';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../main/store';
import { scratchDir } from '../support/scratch-dirs';
import { testHandlers } from '../support/test-handlers';
import { MemorySecretStore } from '../unit/settings/memory-secret-store';
import { CHROMIUM_PATH, buildRenderer, installBridge, launchChromium, startRendererServer, type RendererServer } from './harness';

describe.skipIf(!existsSync(CHROMIUM_PATH))('Object store messages (Chromium, real handlers)', () => {
  let server: RendererServer;
  let browser: Browser;
  let page: Page;
  const requests: IpcChannel[] = [];

  beforeAll(async () => {
    await buildRenderer();
    server = await startRendererServer();
    const dataDir = scratchDir('kmip-e2e-store-messages-');
    const secrets = new MemorySecretStore();
    const settings = new SettingsRepository({ dataDir, secrets });
    // A store that unlocks on this machine: the view lists it and accepts objects.
    await (await ObjectStore.initialize(storeFilePath(dataDir), keychainUnlockKeys(secrets))).generate({ name: 'first-key', size: 32 });
    const handlers = testHandlers(dataDir, secrets, { settings, entropyAtStart: entropyAtStart(settings) });
    const counted = Object.fromEntries(
      Object.entries(handlers).map(([channel, handler]) => [
        channel,
        (request: never) => {
          requests.push(channel as IpcChannel);
          return (handler as (request: never) => unknown)(request);
        },
      ]),
    ) as typeof handlers;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await installBridge(page, counted);
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Object store' }).click();
    await page.getByTestId('store-table').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a failed Add secret clears the notice of the secret added before', async () => {
    const form = page.getByRole('form', { name: 'Add a secret' });
    await form.getByRole('textbox', { name: 'Name' }).fill('dup');
    await form.getByLabel('Value').fill('first value');
    await form.getByRole('button', { name: 'Add secret' }).click();
    await expect.poll(() => page.getByTestId('store-notice').textContent()).toBe('Secret "dup" added.');

    await form.getByRole('textbox', { name: 'Name' }).fill('dup');
    await form.getByLabel('Value').fill('second value');
    await form.getByRole('button', { name: 'Add secret' }).click();
    await page.getByTestId('store-error').waitFor();
    expect(await page.getByTestId('store-error').textContent()).toMatch(/dup/);
    expect(await page.getByTestId('store-notice').count()).toBe(0);
  });

  it('refuses a value over the limit at the Value field, naming the limit, without sending it', async () => {
    const form = page.getByRole('form', { name: 'Add a secret' });
    await form.getByRole('textbox', { name: 'Name' }).fill('too-long');
    await form.getByLabel('Value').fill('v'.repeat(70_000));
    await form.getByText('Value is 70,000 bytes as UTF-8; a secret is at most 65,536 bytes: store a shorter value.').waitFor();
    expect(await form.getByLabel('Value').getAttribute('aria-invalid')).toBe('true');
    const add = form.getByRole('button', { name: 'Add secret' });
    expect(await add.isDisabled()).toBe(true);
    const sent = requests.filter((channel) => channel === 'store:add').length;
    await form.getByLabel('Value').press('Enter');
    await page.waitForTimeout(300);
    expect(requests.filter((channel) => channel === 'store:add').length).toBe(sent);

    // Within the limit, the message goes and the secret is added.
    await form.getByLabel('Value').fill('v'.repeat(65_536));
    expect(await add.isDisabled()).toBe(false);
    await add.click();
    await expect.poll(() => page.getByTestId('store-notice').textContent()).toBe('Secret "too-long" added.');
    expect(await page.getByTestId('store-error').count()).toBe(0);
  });
});
