// The KMIP dialog in Debian Chromium against the REAL main-process handlers: settings in a temp
// data folder, the real keychain and the real PyKMIP server of scripts/with-services.sh.
import { randomUUID } from 'node:crypto';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IpcEventChannel, IpcEvents } from '../../common/ipc';
import { FIELDS } from '../../common/settings';
import { entropyAtStart } from '../../main/app/entropy-at-start';
import { createIpcHandlers } from '../../main/app/handlers';
import { recoveryState } from '../../main/eks';
import { KeychainSecretStore } from '../../main/secrets';
import { SettingsRepository } from '../../main/settings';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../main/store';
import { scratchDir } from '../support/scratch-dirs';
import { startSilentTcpServer } from '../support/transport-fixtures';
import { describeWithServices, REPO_ROOT, testServices, type TestServices } from '../support/services';
import { buildRenderer, FilePicker, gatedHandlers, installBridge, launchChromium, startRendererServer, type RendererServer } from './harness';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-results/screenshots');
const DOCS_SCREENSHOTS = path.join(REPO_ROOT, 'docs/screenshots');

describeWithServices('KMIP dialog (Chromium, real handlers, PyKMIP)', () => {
  let services: TestServices;
  let dataDir: string;
  let server: RendererServer;
  let browser: Browser;
  let page: Page;
  let settings: SettingsRepository;
  let secrets: KeychainSecretStore;
  const consoleProblems: string[] = [];
  const filePicker = new FilePicker();
  /** while set, settings:saveField answers only once it settles (a slow disk or keychain) */
  let saveFieldGate: Promise<void> | null = null;
  /** the same for settings:loadFile */
  let loadFileGate: Promise<void> | null = null;
  /** the same for settings:reset */
  let resetGate: Promise<void> | null = null;

  /** Screenshot with the dialog scrolled to the top, once MUI's transitions have settled. */
  async function shot(name: string): Promise<void> {
    await page.evaluate(() => document.querySelector('[data-testid="dialog-content"]')?.scrollTo(0, 0));
    await page.mouse.move(1, 1);
    await page.waitForTimeout(450);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }

  async function saveField(id: string, label: string, value: string): Promise<void> {
    await page.getByRole('textbox', { name: label, exact: true }).fill(value);
    await page.getByRole('button', { name: `Save ${label}`, exact: true }).click();
  }

  /** Picks a select's option, finding the select by its accessible name (the field's label). */
  async function choose(id: keyof typeof FIELDS, option: string): Promise<void> {
    await page.getByRole('combobox', { name: FIELDS[id].label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  function stateOf(id: string) {
    return page.getByTestId(`row-${id}`).getByTestId('field-state');
  }

  async function loadFile(slot: string, label: string, file: string, format: 'PEM' | 'P12 (PKCS#12)', password?: string): Promise<void> {
    await page.getByTestId(`slot-${slot}`).getByRole('combobox', { name: 'Format' }).click();
    await page.getByRole('option', { name: format, exact: true }).click();
    await page.locator(`#file-${slot}-password`).fill(password ?? '');
    filePicker.choose(file);
    await page.getByRole('button', { name: `Load File for ${label}` }).click();
  }

  async function openAdvanced(sub: string): Promise<void> {
    await page.getByRole('tab', { name: 'Advanced', exact: true }).click();
    await page.getByRole('tab', { name: sub, exact: true }).click();
  }

  /**
   * Reloads the page (the browser's stand-in for closing the window) with the operator answering "Stay"
   * to any leave question; returns the questions asked.
   */
  async function reloadAnsweringStay(): Promise<string[]> {
    const asked: string[] = [];
    const stay = (dialog: Dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    };
    page.on('dialog', stay);
    try {
      await page.reload({ timeout: 3000 }).catch(() => undefined); // a kept page cancels the reload
    } finally {
      page.off('dialog', stay);
    }
    return asked;
  }

  /** The reason the page's leave guard gives now (Chromium's question shows none of it), or '' when it lets go. */
  function leaveReason(): Promise<string> {
    return page.evaluate(() => {
      const event = document.createEvent('BeforeUnloadEvent');
      event.initEvent('beforeunload', false, true);
      window.dispatchEvent(event);
      return (event as BeforeUnloadEvent).returnValue;
    });
  }

  async function finishedRun(kind: string) {
    const outcome = page.getByTestId(`run-${kind}`).getByTestId('run-outcome');
    await expect.poll(() => outcome.getAttribute('data-status'), { timeout: 45_000 }).not.toBe('running');
    return outcome;
  }

  beforeAll(async () => {
    services = testServices()!;
    await mkdir(SCREENSHOTS, { recursive: true });
    await buildRenderer();
    server = await startRendererServer();
    dataDir = scratchDir('kmip-e2e-');
    secrets = new KeychainSecretStore(`kmip-console-e2e-${randomUUID()}`);
    settings = new SettingsRepository({ dataDir, secrets });
    let emit: <E extends IpcEventChannel>(event: E, payload: IpcEvents[E]) => void = () => {};
    const handlers = createIpcHandlers({
      dataDir,
      settings,
      secrets,
      pickFile: filePicker.pick,
      pickSaveFile: async () => null,
      emitProgress: (event) => emit('progress', event),
      // As main/electron/main.ts does: the page learns of every run's end.
      emitRunFinished: (run) => emit('runFinished', run),
      // As at an app start: nothing is applied yet in this data folder.
      entropyAtStart: entropyAtStart(settings),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: 'light' });
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => consoleProblems.push(error.message));
    const gated = gatedHandlers(handlers, {
      'settings:saveField': () => saveFieldGate,
      'settings:loadFile': () => loadFileGate,
      'settings:reset': () => resetGate,
    });
    emit = (await installBridge(page, gated)).emit;
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'External Key Server (KMIP)' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    // The committed copies shown in the README.
    await mkdir(DOCS_SCREENSHOTS, { recursive: true });
    await cp(SCREENSHOTS, DOCS_SCREENSHOTS, { recursive: true });
  });

  it('runs under the strict CSP with one frozen window.kmip and nonce-stamped styles', async () => {
    const facts = await page.evaluate(() => ({
      frozen: Object.isFrozen(window.kmip),
      keys: Object.keys(window.kmip).sort(),
      styles: document.querySelectorAll('style').length,
      unstamped: [...document.querySelectorAll('style')].filter((style) => !style.nonce).length,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(facts).toMatchObject({ frozen: true, keys: ['invoke', 'on'], unstamped: 0, require: 'undefined', process: 'undefined' });
    expect(facts.styles).toBeGreaterThan(0);
    // An inline script is refused by the CSP (the page cannot run injected markup).
    const injected = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(injected).toBe(false);
    consoleProblems.splice(0); // the refused injection above is logged as a CSP violation on purpose
  });

  it('status line: entropy at start reports that no settings are applied yet', async () => {
    const status = page.getByTestId('entropy-status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('no-settings');
    expect(await status.getAttribute('data-by')).toBe('start');
    expect(await status.textContent()).toMatch(/^Entropy at start \(.+\): no applied settings yet: no key server to ask$/);
  });

  it('Basic: saves each field, refuses port 70000 with its message, and shows the state chips', async () => {
    await saveField('serverName', 'Server Name', 'PyKMIP lab');
    await expect.poll(() => stateOf('serverName').getAttribute('data-state')).toBe('pending');
    await saveField('hostName', 'Host Name', services.host);

    await saveField('port', 'Port', '70000');
    const portMessage = page.getByTestId('row-port').getByRole('alert');
    await expect.poll(() => portMessage.textContent()).toMatch(/Port must be a whole number from 1 to 65535/);
    expect(await stateOf('port').getAttribute('data-state')).toBe('unsaved');
    expect((await settings.loadPending()).port).toBe(5696); // nothing persisted
    await shot('basic-port-refused');

    await saveField('port', 'Port', String(services.port));
    await expect.poll(() => stateOf('port').getAttribute('data-state')).toBe('pending');
    await saveField('timeout', 'Timeout', '10');
    await choose('protocol', '1.2');
    await page.getByRole('button', { name: 'Save Protocol' }).click();
    await expect.poll(() => stateOf('protocol').getAttribute('data-state')).toBe('pending');

    // Verify = no shows a warning at once (even before Save), and goes away with yes.
    await choose('verify', 'no');
    await page.getByTestId('verify-warning').waitFor();
    await choose('verify', 'yes');
    await page.getByTestId('verify-warning').waitFor({ state: 'detached' });

    const pending = await settings.loadPending();
    expect(pending).toMatchObject({ serverName: 'PyKMIP lab', hostName: services.host, port: services.port, timeout: 10, protocol: '1.2' });
    await shot('tab-basic');
  });

  it('Advanced: loads P12 and PEM files with passwords and shows what was loaded', async () => {
    await openAdvanced('Cert');
    await loadFile('clientCert', 'Cert', services.pki.clientP12, 'P12 (PKCS#12)', services.pkiPassword);
    const details = page.getByTestId('slot-clientCert').getByTestId('file-details');
    await details.waitFor();
    expect(await details.textContent()).toMatch(/client\.p12.*P12.*password protected/s);
    expect(await details.textContent()).toMatch(/CN=kmip-console-test/);
    expect(await details.textContent()).toMatch(/SHA-256[0-9A-F:]{95}/);
    expect(await details.textContent()).toMatch(/Private key/);
    await page.getByTestId('slot-clientCert').getByText('Stored in keychain').waitFor();

    // A wrong password is refused next to the slot, and the loaded file stays.
    await loadFile('clientCert', 'Cert', services.pki.clientP12, 'P12 (PKCS#12)', 'wrong password');
    await page.getByTestId('slot-error-clientCert').waitFor();
    expect(await page.getByTestId('slot-error-clientCert').textContent()).toMatch(/password/i);
    expect((await settings.loadPending()).clientCert?.details.sourceName).toBe('client.p12');
    await loadFile('clientCert', 'Cert', services.pki.clientCert, 'PEM');
    await expect.poll(async () => (await details.textContent()) ?? '').toMatch(/client\.pem/);
    await shot('tab-advanced-cert');

    await openAdvanced('Key');
    await loadFile('clientKey', 'Key', services.pki.clientEncryptedKey, 'PEM', services.pkiPassword);
    await page.getByTestId('slot-clientKey').getByTestId('file-details').waitFor();
    await page.getByTestId('slot-clientKey').getByText('Stored in keychain').waitFor();
    expect(await page.getByTestId('key-match').textContent()).toMatch(/This key belongs to the loaded Cert/);
    await shot('tab-advanced-key');

    await openAdvanced('CA Trusted Cert');
    await loadFile('caCert', 'CA Trusted Cert', services.pki.caCert, 'PEM');
    await page.getByTestId('slot-caCert').getByTestId('file-details').waitFor();
    expect(await page.getByTestId('slot-caCert').textContent()).toMatch(/CA/);
    await shot('tab-advanced-ca');

    await openAdvanced('Server Cert');
    await shot('tab-advanced-server-cert');
    await openAdvanced('Server Key');
    await shot('tab-advanced-server-key');

    await openAdvanced('Credentials');
    await saveField('username', 'Username', 'operator');
    await page.locator('#field-password').fill('kmip-password-e2e');
    await page.getByRole('button', { name: 'Save Password' }).click();
    await page.getByTestId('row-password').getByText('Stored in keychain').waitFor();
    expect(await page.locator('#field-password').inputValue()).toBe('');
    // The renderer never gets the secret back.
    expect(JSON.stringify(await settings.view())).not.toContain('kmip-password-e2e');
    await saveField('ciphers', 'Ciphers', 'NOT A CIPHER!!');
    await page.getByTestId('row-ciphers').getByRole('alert').waitFor();
    expect(await page.getByTestId('row-ciphers').getByRole('alert').textContent()).toMatch(/Ciphers/);
    await page.locator('#field-ciphers').fill('');
    await shot('tab-advanced-credentials');
  });

  it('Configuration: saves the description and switches; what is typed while a Save is on its way stays', async () => {
    await page.getByRole('tab', { name: 'Configuration', exact: true }).click();
    const description = page.locator('#field-description');
    // One line, like the field's rule: Enter saves, it cannot start a line the rule would refuse.
    expect(await description.evaluate((element) => element.tagName)).toBe('INPUT');
    await description.fill('Lab key server');
    let answerSave = () => {};
    saveFieldGate = new Promise((resolve) => (answerSave = resolve));
    await description.press('Enter');
    await page.keyboard.type(' for the e2e run');
    answerSave();
    saveFieldGate = null;
    await expect.poll(async () => (await settings.loadPending()).description).toBe('Lab key server');
    await expect.poll(() => stateOf('description').getAttribute('data-state')).toBe('unsaved');
    expect(await description.inputValue()).toBe('Lab key server for the e2e run');
    await description.press('Enter');
    await expect.poll(async () => (await settings.loadPending()).description).toBe('Lab key server for the e2e run');
    await expect.poll(() => stateOf('description').getAttribute('data-state')).toBe('pending');
    await choose('disableHardwareSignature', 'yes');
    await page.getByRole('button', { name: 'Save Disable Hardware Signature' }).click();
    await expect.poll(async () => (await settings.loadPending()).disableHardwareSignature).toBe(true);
    await shot('tab-configuration');
  });

  it('keyboard: a Save or Load File that disables its own button leaves the focus on the field or the button, not on the page', async () => {
    const focusedId = () => page.evaluate(() => (document.activeElement === document.body ? 'body' : document.activeElement?.id || document.activeElement?.getAttribute('aria-label')));
    const description = page.locator('#field-description');
    await description.fill('Lab key server, saved by keyboard');
    await page.getByRole('button', { name: 'Save Description', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await settings.loadPending()).description).toBe('Lab key server, saved by keyboard');
    await expect.poll(focusedId).toBe('field-description');
    await description.fill('Lab key server for the e2e run');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await settings.loadPending()).description).toBe('Lab key server for the e2e run');

    await openAdvanced('CA Trusted Cert');
    filePicker.choose(services.pki.caCert);
    await page.getByRole('button', { name: 'Load File for CA Trusted Cert' }).focus();
    let answerLoad = () => {};
    loadFileGate = new Promise((resolve) => (answerLoad = resolve));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: 'Load File for CA Trusted Cert' }).isDisabled()).toBe(true);
    answerLoad();
    loadFileGate = null;
    await expect.poll(focusedId).toBe('Load File for CA Trusted Cert');

    // Clear goes with the stored password: focus to the field, where a new one is typed and saved.
    await openAdvanced('Credentials');
    await page.getByRole('button', { name: 'Clear stored Password' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await settings.view()).pending.password.stored).toBe(false);
    await expect.poll(focusedId).toBe('field-password');
    await page.keyboard.type('kmip-password-e2e');
    await page.keyboard.press('Enter');
    await page.getByTestId('row-password').getByText('Stored in keychain').waitFor();
    await page.getByRole('tab', { name: 'Configuration', exact: true }).click();
  });

  it('asks before the window closes with an unsaved field or a typed password, not when everything is saved', async () => {
    await page.locator('#field-description').fill('not saved yet');
    expect(await leaveReason()).toBe('Closing or reloading now would lose unsaved changes to Description.');
    expect(await reloadAnsweringStay()).toEqual(['beforeunload']);
    expect(await page.locator('#field-description').inputValue()).toBe('not saved yet');
    await page.locator('#field-description').fill('Lab key server for the e2e run'); // the saved value again

    await openAdvanced('Credentials');
    await page.locator('#field-password').fill('typed, not stored');
    expect(await leaveReason()).toBe('Closing or reloading now would lose unsaved changes to Password.');
    expect(await reloadAnsweringStay()).toEqual(['beforeunload']);
    await page.locator('#field-password').fill('');

    expect(await reloadAnsweringStay()).toEqual([]);
    await page.getByRole('heading', { name: 'External Key Server (KMIP)' }).waitFor();
  });

  it('after reopening, a file slot shows the format of the file loaded in it', async () => {
    await openAdvanced('Cert');
    await loadFile('clientCert', 'Cert', services.pki.clientP12, 'P12 (PKCS#12)', services.pkiPassword);
    await expect.poll(async () => (await page.getByTestId('slot-clientCert').getByTestId('file-details').textContent()) ?? '').toMatch(/client\.p12/);
    expect(await reloadAnsweringStay()).toEqual([]);
    await openAdvanced('Cert');
    expect(await page.getByTestId('slot-clientCert').getByRole('combobox', { name: 'Format' }).textContent()).toBe('P12 (PKCS#12)');
    // Back to the PEM identity the rest of this file uses.
    await loadFile('clientCert', 'Cert', services.pki.clientCert, 'PEM');
    await expect.poll(async () => (await page.getByTestId('slot-clientCert').getByTestId('file-details').textContent()) ?? '').toMatch(/client\.pem/);
  });

  it('Test: runs the diagnostics against PyKMIP and lists every step with its status and time', async () => {
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const outcome = await finishedRun('test');
    const steps = page.getByTestId('run-test').getByTestId('step-list').locator('li');
    const statuses = await steps.evaluateAll((items) => items.map((item) => [item.getAttribute('data-testid'), item.getAttribute('data-status')]));
    expect(statuses.length).toBeGreaterThanOrEqual(5);
    const byId = Object.fromEntries(statuses);
    expect(byId['step-dns']).toBe('pass');
    expect(byId['step-tcp']).toBe('pass');
    expect(byId['step-tls']).toBe('pass');
    expect(await page.getByTestId('test-summary').textContent()).toMatch(/TLSv1\.2/);
    expect(await outcome.textContent()).not.toBe('');
    await shot('test-result');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('Apply: registers the Admin Key, shows each step, and marks every field applied', async () => {
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const outcome = await finishedRun('apply');
    expect(await outcome.getAttribute('data-status')).toBe('succeeded');
    expect(await outcome.textContent()).toMatch(/Admin Key generation 1/);
    await shot('apply-result');
    await page.getByRole('button', { name: 'Close' }).click();
    // The status line follows Apply's entropy step: PyKMIP offers no RNG Retrieve.
    const status = page.getByTestId('entropy-status');
    await expect.poll(() => status.getAttribute('data-by')).toBe('apply');
    expect(await status.getAttribute('data-status')).toBe('unavailable');
    expect(await status.textContent()).toMatch(/^Entropy at Apply \(.+\): entropy source: unavailable on this server/);
    expect((await settings.loadApplied())?.serverName).toBe('PyKMIP lab');
    await page.getByRole('tab', { name: 'Basic', exact: true }).click();
    expect(await stateOf('serverName').getAttribute('data-state')).toBe('applied');
    expect(await page.getByTestId('change-summary').textContent()).toBe('All settings applied.');
  });

  it('entropy at start uses the applied settings and reports that PyKMIP has no RNG Retrieve', async () => {
    const report = await entropyAtStart(settings);
    expect(report.status).toBe('unavailable');
    expect(report.detail).toMatch(/entropy source: unavailable on this server/);
  });

  it('Object store: adds a secret, generates a key, deletes with confirmation; values never come back; a typed secret is kept on leaving', async () => {
    await page.getByRole('button', { name: 'Object store' }).click();
    await page.getByTestId('store-table').waitFor();
    const secretForm = page.getByRole('form', { name: 'Add a secret' });
    await secretForm.getByRole('textbox', { name: 'Name' }).fill('db-password');
    await secretForm.getByLabel('Value').fill('store-secret-e2e');
    // Typed, not added yet: closing would lose it, so the page asks first, naming the form and not the secret.
    expect(await leaveReason()).toBe('Closing or reloading now would lose the name and value typed in Object store › Add a secret, not added.');
    expect(await reloadAnsweringStay()).toEqual(['beforeunload']);
    expect(await secretForm.getByLabel('Value').inputValue()).toBe('store-secret-e2e');
    // Another view and back: still there.
    await page.getByRole('button', { name: 'KMIP settings' }).click();
    await page.getByRole('button', { name: 'Object store' }).click();
    expect(await secretForm.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('db-password');
    expect(await secretForm.getByLabel('Value').inputValue()).toBe('store-secret-e2e');
    await secretForm.getByRole('button', { name: 'Add secret' }).click();
    await page.getByTestId('store-notice').waitFor();
    const keyForm = page.getByRole('form', { name: 'Generate a key' });
    // The store's name rule shows under the field as it is typed, counted in characters.
    await keyForm.getByRole('textbox', { name: 'Key name' }).fill('🔑'.repeat(257));
    await keyForm.getByText('An object name must be 1–256 characters; this one has 257.').waitFor();
    expect(await keyForm.getByRole('button', { name: 'Generate key' }).isDisabled()).toBe(true);
    await keyForm.getByRole('textbox', { name: 'Key name' }).fill('backup-key');
    await keyForm.getByRole('button', { name: 'Generate key' }).click();
    await expect.poll(() => page.getByTestId('store-row').count()).toBe(2);
    expect(await page.getByTestId('store-table').textContent()).toMatch(/256-bit key/);
    expect(await page.content()).not.toContain('store-secret-e2e');
    await shot('object-store');
    await page.getByRole('button', { name: 'Delete db-password' }).click();
    await page.getByRole('dialog', { name: 'Delete "db-password"?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByTestId('store-row').count()).toBe(1);
    // Its Delete button went with the row: the keyboard focus goes to the table, not to the page.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('store-table');

    // A long name without a space wraps: the view does not scroll sideways and Delete stays in the window.
    const longName = 'n'.repeat(200);
    await secretForm.getByRole('textbox', { name: 'Name' }).fill(longName);
    await secretForm.getByLabel('Value').fill('v');
    await secretForm.getByRole('button', { name: 'Add secret' }).click();
    await expect.poll(() => page.getByTestId('store-row').count()).toBe(2);
    const width = await page.getByTestId('store-view').evaluate((view) => ({ scroll: view.scrollWidth, client: view.clientWidth }));
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    const deleteLong = page.getByRole('button', { name: `Delete ${longName}` });
    const box = await deleteLong.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await deleteLong.click();
    await page.getByRole('dialog', { name: `Delete "${longName}"?` }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByTestId('store-row').count()).toBe(1);
    // Added and generated: the forms are empty again, and nothing holds the window.
    expect(await leaveReason()).toBe('');
    expect(await reloadAnsweringStay()).toEqual([]);
    await page.getByRole('heading', { name: 'External Key Server (KMIP)' }).waitFor();
  });

  it('Test on unsaved values: a refused value is shown at its field, as Apply shows it', async () => {
    await page.locator('#field-port').fill('70000');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    expect(await (await finishedRun('test')).textContent()).toMatch(/Port must be a whole number from 1 to 65535/);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('run-test').waitFor({ state: 'detached' });
    expect(await page.getByTestId('row-port').getByRole('alert').textContent()).toMatch(/Port must be a whole number from 1 to 65535/);
    await page.locator('#field-port').fill(String(services.port));
    await page.getByTestId('row-port').getByRole('alert').waitFor({ state: 'detached' });
  });

  it('Test on unsaved values: a refused connection fails its step with a fix, nothing is saved', async () => {
    // Keyboard only: focus the Port field, type a port where nothing listens, run Test.
    await page.locator('#field-port').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('1');
    await page.getByRole('button', { name: 'Test', exact: true }).focus();
    await page.keyboard.press('Enter');
    const outcome = await finishedRun('test');
    expect(await outcome.getAttribute('data-status')).toBe('failed');
    const tcp = page.getByTestId('run-test').getByTestId('step-tcp');
    expect(await tcp.getAttribute('data-status')).toBe('fail');
    expect(await tcp.getByTestId('step-fix').textContent()).not.toBe('');
    expect((await settings.loadPending()).port).toBe(services.port);
    await shot('test-failure');
    await page.keyboard.press('Escape');
    await page.getByTestId('run-test').waitFor({ state: 'detached' });
    // Typing the saved value back makes the field applied again (nothing unsaved left).
    await page.locator('#field-port').fill(String(services.port));
    expect(await stateOf('port').getAttribute('data-state')).toBe('applied');
  });

  it('Test with Timeout 0 against a server that never answers: Cancel stops it at the waiting step', async () => {
    const silent = await startSilentTcpServer();
    try {
      await page.locator('#field-port').fill(String(silent.port));
      await page.locator('#field-timeout').fill('0');
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const dialog = page.getByTestId('run-test');
      const tls = dialog.getByTestId('step-tls');
      await expect.poll(() => tls.getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
      expect(await dialog.getByRole('button', { name: 'Close' }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Cancel test' }).click();
      const outcome = await finishedRun('test');
      expect(await outcome.getAttribute('data-status')).toBe('failed');
      expect(await outcome.textContent()).toBe('Test canceled at the step shown below. Nothing was changed.');
      expect(await tls.getAttribute('data-status')).toBe('fail');
      expect(await tls.textContent()).toContain('Test canceled by the operator');
      expect(await dialog.getByTestId('step-negotiate').getAttribute('data-status')).toBe('skipped');
      expect(await dialog.getByRole('button', { name: 'Cancel test' }).count()).toBe(0);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await settings.loadPending()).toMatchObject({ port: services.port, timeout: 10 });
    } finally {
      await page.locator('#field-port').fill(String(services.port));
      await page.locator('#field-timeout').fill('10');
      await silent.close();
    }
  });

  it('Apply with Timeout 0 against a server that never answers: Cancel apply stops it, and nothing is applied', async () => {
    const silent = await startSilentTcpServer();
    const appliedBefore = await settings.loadApplied();
    const storeBefore = await readFile(storeFilePath(dataDir));
    try {
      await saveField('port', 'Port', String(silent.port));
      await saveField('timeout', 'Timeout', '0');
      await expect.poll(async () => (await settings.loadPending()).timeout).toBe(0);
      await page.getByRole('button', { name: 'Apply', exact: true }).click();
      const dialog = page.getByTestId('run-apply');
      const connect = dialog.getByTestId('step-connect');
      await expect.poll(() => connect.getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
      expect(await dialog.getByRole('button', { name: 'Close' }).isDisabled()).toBe(true);
      // Every field is saved, yet closing now would cut the Apply short: the page asks first.
      expect(await reloadAnsweringStay()).toEqual(['beforeunload']);
      // A second run is refused while this one runs (checked once this one is canceled).
      const second = await page.evaluate(() => window.kmip.invoke('eks:test', { runId: 'second-run', values: {}, password: { kind: 'none' } }));
      await dialog.getByRole('button', { name: 'Cancel apply' }).click();
      const outcome = await finishedRun('apply');
      expect(await outcome.getAttribute('data-status')).toBe('failed');
      expect(await outcome.textContent()).toBe('Apply canceled at the step shown below. The applied settings and the store are unchanged.');
      expect(await connect.getAttribute('data-status')).toBe('fail');
      expect(await connect.textContent()).toContain('Apply canceled by the operator. Nothing was changed here');
      expect(await dialog.getByTestId('step-register').getAttribute('data-status')).toBe('skipped');
      await shot('apply-canceled');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await settings.loadApplied()).toEqual(appliedBefore);
      expect((await readFile(storeFilePath(dataDir))).equals(storeBefore)).toBe(true);
      await expect.poll(() => silent.open(), { timeout: 2000 }).toBe(0);
      expect(await stateOf('port').getAttribute('data-state')).toBe('pending');
      expect(second).toMatchObject({ ok: false, error: { code: 'OPERATION_IN_PROGRESS', message: 'An Apply is still running: wait for it to finish, then try again.' } });
    } finally {
      await saveField('port', 'Port', String(services.port));
      await saveField('timeout', 'Timeout', '10');
      await expect.poll(async () => (await settings.loadPending()).timeout).toBe(10);
      await silent.close();
    }
  });

  it('Revert: drops a saved change after confirmation', async () => {
    await page.locator('#field-serverName').fill('Renamed');
    await page.locator('#field-serverName').press('Enter'); // Enter saves the field
    await expect.poll(async () => (await settings.loadPending()).serverName).toBe('Renamed');
    await expect.poll(() => stateOf('serverName').getAttribute('data-state')).toBe('pending');
    await page.getByRole('button', { name: 'Revert', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Revert to the applied settings?' });
    expect(await dialog.textContent()).toMatch(/Server Name/);
    await dialog.getByRole('button', { name: 'Revert' }).click();
    await expect.poll(() => page.locator('#field-serverName').inputValue()).toBe('PyKMIP lab');
    expect(await stateOf('serverName').getAttribute('data-state')).toBe('applied');
    // Revert is disabled now: the keyboard focus is on the summary of what the settings are, not lost.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('change-summary');
  });

  it('Reset: sets pending to the defaults after confirmation, applied settings untouched', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    // A Reset slower than the dialog's closing: Reset is still disabled when the dialog has gone.
    let answerReset = () => {};
    resetGate = new Promise((resolve) => (answerReset = resolve));
    await page.getByRole('dialog', { name: 'Reset pending settings to the defaults?' }).getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    answerReset();
    resetGate = null;
    await expect.poll(() => page.locator('#field-serverName').inputValue()).toBe('');
    // The keyboard focus is on the change summary, not on the page.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('change-summary');
    expect(await stateOf('port').getAttribute('data-state')).toBe('pending');
    expect((await settings.loadApplied())?.serverName).toBe('PyKMIP lab');
    // Apply refuses the defaults (no Server Name), says why, and points at the field.
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const outcome = await finishedRun('apply');
    expect(await outcome.getAttribute('data-status')).toBe('failed');
    expect(await outcome.textContent()).toMatch(/Server Name is required/);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByTestId('row-serverName').getByRole('alert').textContent()).toMatch(/Server Name is required/);
    // Back to the applied settings for what follows.
    await page.getByRole('button', { name: 'Revert', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revert' }).click();
    await expect.poll(() => page.locator('#field-serverName').inputValue()).toBe('PyKMIP lab');
  });

  it('System Recovery Options: shown at start when the local unlock is lost; recovers from the EKS', async () => {
    await page.getByRole('button', { name: 'Recovery options' }).click();
    await page.getByTestId('recovery-screen').waitFor();
    // Apply (earlier in this file) created the store, and the screen says so at once: no stale 'no store' first.
    expect(await page.getByTestId('recovery-state').getAttribute('data-state')).toBe('ok');

    // Lose the local unlock key (as on a new machine), then start the app again.
    const before = await recoveryState(dataDir, keychainUnlockKeys(secrets), true);
    await keychainUnlockKeys(secrets).remove(before.storeId!);
    await page.reload();
    await page.getByTestId('recovery-screen').waitFor();
    expect(await page.getByTestId('recovery-state').getAttribute('data-state')).toBe('needs-recovery');
    await shot('recovery-screen');

    await page.getByRole('button', { name: 'Recovery from External Key Server' }).click();
    await page.getByTestId('recovery-mode').waitFor();
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    const outcome = await finishedRun('recover');
    expect(await outcome.getAttribute('data-status')).toBe('succeeded');
    expect(await outcome.textContent()).toMatch(/recovered with Admin Key generation 1: 1 object/);
    // The settings it used are applied as the run's last step, shown with the others (it said "skipped" and applied them after).
    const settingsStep = page.getByTestId('run-recover').getByTestId('step-settings');
    expect(await settingsStep.getAttribute('data-status')).toBe('pass');
    expect(await settingsStep.textContent()).toContain('the settings used for recovery are now the applied ones');
    await shot('recovery-result');
    await page.getByRole('button', { name: 'Close' }).click();
    expect((await recoveryState(dataDir, keychainUnlockKeys(secrets), true)).state).toBe('ok');
  });

  it('System Recovery Options: restores a backup file on a machine without a store, after refusing a file that is no backup', async () => {
    const unlockKeys = keychainUnlockKeys(secrets);
    const store = await ObjectStore.open(storeFilePath(dataDir), unlockKeys);
    const objects = store.list().map((o) => o.name);
    expect(objects.length).toBeGreaterThan(0);
    const backupFile = path.join(scratchDir('kmip-e2e-backup-'), 'store-backup.kcs');
    await store.exportBackup(backupFile);
    // A new machine: the settings are here, the store and its local unlock are not.
    await unlockKeys.remove(store.header.storeId);
    await rm(storeFilePath(dataDir));
    await page.reload();
    // The settings were applied here, so the missing store is a loss: the app opens on System Recovery Options.
    await page.getByTestId('recovery-screen').waitFor();
    const state = page.getByTestId('recovery-state');
    expect(await state.getAttribute('data-state')).toBe('no-store');
    expect(await state.textContent()).toMatch(/The object store is missing.*store\.kcs is missing, although settings were applied\. If the store was lost or moved, restore it from a backup file/);
    // Nothing to recover in place: only the backup card can help.
    expect(await page.getByRole('button', { name: 'Recovery from External Key Server' }).isDisabled()).toBe(true);

    filePicker.choose(services.pki.caCert);
    await page.getByRole('button', { name: 'Choose backup file…' }).click();
    expect(await page.getByTestId('backup-error').textContent()).toContain(services.pki.caCert);
    expect(await page.getByRole('button', { name: 'Restore this backup' }).isDisabled()).toBe(true);

    filePicker.choose(backupFile);
    await page.getByRole('button', { name: 'Choose backup file…' }).click();
    const chosen = page.getByTestId('chosen-backup');
    expect(await chosen.getAttribute('data-store-id')).toBe(store.header.storeId);
    expect(await chosen.textContent()).toContain(`${objects.length} object(s) · Admin Key generation 1`);
    expect(await page.getByTestId('backup-error').count()).toBe(0);
    await shot('recovery-backup-chosen');
    await page.getByRole('button', { name: 'Restore this backup' }).click();
    expect(await page.getByTestId('recovery-mode').textContent()).toContain(`restoring the backup ${backupFile}`);
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    const outcome = await finishedRun('recover');
    expect(await outcome.getAttribute('data-status')).toBe('succeeded');
    expect(await outcome.textContent()).toMatch(new RegExp(`recovered with Admin Key generation 1: ${objects.length} object`));
    await page.getByRole('button', { name: 'Close' }).click();
    expect((await ObjectStore.open(storeFilePath(dataDir), unlockKeys)).list().map((o) => o.name)).toEqual(objects);

    // Choosing it again, now that the data folder holds the store: restoring needs the replace confirmation.
    await page.getByRole('button', { name: 'Recovery options' }).click();
    filePicker.choose(backupFile);
    await page.getByRole('button', { name: 'Choose backup file…' }).click();
    expect(await page.getByTestId('backup-replaces').textContent()).toMatch(/holds the same store/);
    const restore = page.getByRole('button', { name: 'Restore this backup' });
    expect(await restore.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: 'Replace the store in this data folder' }).check();
    expect(await restore.isDisabled()).toBe(false);
    await restore.click();

    // The backup goes away (an unplugged stick) before Recover: the run says so, and the store stays.
    const storeBytes = await readFile(storeFilePath(dataDir));
    await rm(backupFile);
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    const missing = await finishedRun('recover');
    expect(await missing.getAttribute('data-status')).toBe('failed');
    expect(await missing.textContent()).toContain(`The backup file ${backupFile} is not there`);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await readFile(storeFilePath(dataDir))).toEqual(storeBytes);
  });

  it('dark theme: the toggle switches the whole window', async () => {
    await page.getByRole('button', { name: 'Leave recovery mode' }).click();
    await page.getByTestId('theme-toggle').click(); // system → light
    await page.getByTestId('theme-toggle').click(); // light → dark
    expect(await page.locator('[data-theme-mode]').getAttribute('data-theme-mode')).toBe('dark');
    await page.getByRole('tab', { name: 'Basic', exact: true }).click();
    await shot('tab-basic-dark');
  });

  it('logged no CSP violation and no page error', () => {
    expect(consoleProblems).toEqual([]);
  });
});
