// Typed secrets in Debian Chromium against the real main/app handlers (settings and store in a temp data
// folder, an in-memory keychain, the test PKI of scripts/with-services.sh): the KMIP Password, a file's
// password and the object store's secret Value live only in the input's live value. None is written into
// the DOM `value` attribute, where outerHTML and CSS attribute selectors would read it; each field still
// empties when the state clears it after Save, Load File or Add secret.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { entropyAtStart } from '../../main/app/entropy-at-start';
import { SettingsRepository } from '../../main/settings';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../main/store';
import { scratchDir } from '../support/scratch-dirs';
import { testHandlers } from '../support/test-handlers';
import { describeWithServices, testServices, type TestServices } from '../support/services';
import { MemorySecretStore } from '../unit/settings/memory-secret-store';
import { buildRenderer, FilePicker, installBridge, launchChromium, startRendererServer, type RendererServer } from './harness';

describeWithServices('Secret fields keep typed secrets out of the DOM (Chromium, real handlers)', () => {
  let services: TestServices;
  let server: RendererServer;
  let browser: Browser;
  let page: Page;
  let secrets: MemorySecretStore;
  const filePicker = new FilePicker();

  /** The typed secret is the input's live value and appears nowhere in the markup. */
  async function expectOnlyLiveValue(input: Locator, typed: string): Promise<void> {
    expect(await input.inputValue()).toBe(typed);
    expect(await input.getAttribute('value')).toBeFalsy();
    expect(await input.evaluate((element) => element.outerHTML)).not.toContain(typed);
    expect(await page.locator(`input[value^="${typed.slice(0, 3)}"]`).count()).toBe(0);
    expect(await page.content()).not.toContain(typed);
  }

  beforeAll(async () => {
    services = testServices()!;
    await buildRenderer();
    server = await startRendererServer();
    const dataDir = scratchDir('kmip-e2e-secret-fields-');
    secrets = new MemorySecretStore();
    const settings = new SettingsRepository({ dataDir, secrets });
    // A store that unlocks on this machine: the view lists it and accepts objects.
    await (await ObjectStore.initialize(storeFilePath(dataDir), keychainUnlockKeys(secrets))).generate({ name: 'first-key', size: 32 });
    const handlers = testHandlers(dataDir, secrets, { settings, pickFile: filePicker.pick, entropyAtStart: entropyAtStart(settings) });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await installBridge(page, handlers);
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'External Key Server (KMIP)' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('KMIP Password: typed only into the live value; Enter saves it and empties the field', async () => {
    await page.getByRole('tab', { name: 'Advanced', exact: true }).click();
    await page.getByRole('tab', { name: 'Credentials', exact: true }).click();
    const password = page.locator('#field-password');
    await password.fill('kmip-typed-secret-s17');
    await expectOnlyLiveValue(password, 'kmip-typed-secret-s17');

    await password.press('Enter');
    await page.getByTestId('row-password').getByText('Stored in keychain').waitFor();
    expect(await password.inputValue()).toBe('');
    expect([...secrets.entries.values()]).toContain('kmip-typed-secret-s17');
  });

  it('file password: typed only into the live value; Load File uses it and empties the field', async () => {
    await page.getByRole('tab', { name: 'Advanced', exact: true }).click();
    await page.getByRole('tab', { name: 'Cert', exact: true }).click();
    const slot = page.getByTestId('slot-clientCert');
    await slot.getByRole('combobox', { name: 'Format' }).click();
    await page.getByRole('option', { name: 'P12 (PKCS#12)', exact: true }).click();
    const password = page.locator('#file-clientCert-password');
    await password.fill(services.pkiPassword);
    await expectOnlyLiveValue(password, services.pkiPassword);

    filePicker.choose(services.pki.clientP12);
    await page.getByRole('button', { name: 'Load File for Cert' }).click();
    await slot.getByTestId('file-details').waitFor();
    await slot.getByText('Stored in keychain').waitFor();
    expect(await password.inputValue()).toBe('');
  });

  it('object store Value: typed only into the live value, kept across views; Add secret empties the field', async () => {
    await page.getByRole('button', { name: 'Object store' }).click();
    await page.getByTestId('store-table').waitFor();
    const form = page.getByRole('form', { name: 'Add a secret' });
    const value = form.getByLabel('Value');
    const valueLabel = form.locator('label', { hasText: /^Value$/ });
    await form.getByRole('textbox', { name: 'Name' }).fill('api-token');
    await value.fill('store-typed-secret-s17');
    await expectOnlyLiveValue(value, 'store-typed-secret-s17');

    // Another view and back: the form comes back with the typed value, still only in the live value.
    await page.getByRole('button', { name: 'KMIP settings' }).click();
    await page.getByRole('button', { name: 'Object store' }).click();
    await expectOnlyLiveValue(value, 'store-typed-secret-s17');
    expect(await valueLabel.getAttribute('data-shrink')).toBe('true');

    await form.getByRole('button', { name: 'Add secret' }).click();
    await expect.poll(() => page.getByTestId('store-notice').textContent()).toBe('Secret "api-token" added.');
    expect(await value.inputValue()).toBe('');
    expect(await form.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('');
    // Emptied by the state, not by typing: the label comes back down into the empty field.
    await value.blur();
    expect(await valueLabel.getAttribute('data-shrink')).toBe('false');
  });
});
