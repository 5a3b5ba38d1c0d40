// Two windows and the command line change the same settings (explore report s18-x4, F3; review s18-r2 F3,
// F4), in Debian Chromium against the real main/app handlers, each window with its own handlers over one
// data folder, as two app instances have:
// - a save or Clear of a field another window changed since this one showed it is refused: the window shows
//   what is saved now, names the field in a notice, and keeps what was typed;
// - an Apply made elsewhere (here its last step, as `kmip-console apply` ends) makes the window's Revert,
//   Apply and Reset refused as stale;
// - the object list shows the answer of its latest read only, and a failed action's error stays shown when
//   the read after it fails too.
// No key server is needed: every refusal comes before any connection.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/app-error';
import type { IpcHandlers } from '../../main/app/ipc-dispatch';
import { SettingsRepository } from '../../main/settings';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../main/store';
import { scratchDir } from '../support/scratch-dirs';
import { testHandlers } from '../support/test-handlers';
import { generatePki } from '../support/transport-fixtures';
import { MemorySecretStore } from '../unit/settings/memory-secret-store';
import { CHROMIUM_PATH, FilePicker, buildRenderer, installBridge, launchChromium, startRendererServer, type RendererServer } from './harness';

describe.skipIf(!existsSync(CHROMIUM_PATH))('Two windows and the command line change the same settings (Chromium, real handlers)', () => {
  let server: RendererServer;
  let browser: Browser;
  let dataDir: string;
  let secrets: MemorySecretStore;
  /** the data folder as a kmip-console command sees it */
  let cli: SettingsRepository;
  let files: { ca: string; bundle: string };
  const pickers = { a: new FilePicker(), b: new FilePicker() };
  let a: Page;
  let b: Page;
  /** while set, window A's store:list reads the store, then holds its answer until this settles */
  let holdNextList: Promise<void> | null = null;
  /** called once the held store:list has returned its answer and it was sent on to the page */
  let heldListReturned: (() => void) | null = null;
  /** while set, window A's store:list fails with this error */
  let listFailure: AppError | null = null;

  const notice = (page: Page) => page.locator('.MuiSnackbar-root [role="alert"]');
  const description = (page: Page) => page.getByRole('textbox', { name: 'Description', exact: true });
  const stateOf = (page: Page, id: string) => page.getByTestId(`row-${id}`).getByTestId('field-state');
  /** The operator comes back to the window (Chromium in a test never loses the focus by itself). */
  const comeBack = (page: Page) => page.evaluate(() => window.dispatchEvent(new Event('focus')));
  const pending = async () => (await cli.view()).pending;

  async function closeNotice(page: Page): Promise<void> {
    await notice(page).getByRole('button', { name: 'Close' }).click();
    await notice(page).waitFor({ state: 'detached' });
  }

  /** Window A's list reads as main reads them, answering when the test says (holdNextList) or failing (listFailure). */
  function withListControl(handlers: IpcHandlers): IpcHandlers {
    return {
      ...handlers,
      'store:list': async (request) => {
        if (listFailure) throw listFailure;
        const hold = holdNextList;
        holdNextList = null;
        const answer = await handlers['store:list'](request);
        if (hold) {
          await hold;
          // A task after the return below: by then the answer has been handed on to the page (in microtasks).
          setImmediate(() => heldListReturned?.());
        }
        return answer;
      },
    };
  }

  async function openWindow(name: 'a' | 'b'): Promise<Page> {
    const handlers = testHandlers(dataDir, secrets, { settings: new SettingsRepository({ dataDir, secrets }), pickFile: pickers[name].pick });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await installBridge(page, name === 'a' ? withListControl(handlers) : handlers);
    await page.goto(server.url);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await description(page).waitFor();
    return page;
  }

  async function openCaCert(page: Page): Promise<void> {
    await page.getByRole('tab', { name: 'Advanced', exact: true }).click();
    await page.getByRole('tab', { name: 'CA Trusted Cert', exact: true }).click();
  }

  beforeAll(async () => {
    await buildRenderer();
    server = await startRendererServer();
    dataDir = scratchDir('kmip-e2e-two-windows-');
    secrets = new MemorySecretStore();
    cli = new SettingsRepository({ dataDir, secrets });
    await cli.saveField('serverName', 'lab');
    await cli.saveField('hostName', '127.0.0.1');
    const store = await ObjectStore.initialize(storeFilePath(dataDir), keychainUnlockKeys(secrets));
    await store.generate({ name: 'first-key', size: 32 });
    const pki = generatePki();
    const folder = scratchDir('kmip-e2e-two-windows-files-');
    files = { ca: path.join(folder, 'ca.pem'), bundle: path.join(folder, 'ca-bundle.pem') };
    writeFileSync(files.ca, pki.ca);
    writeFileSync(files.bundle, pki.ca);
    browser = await launchChromium();
    a = await openWindow('a');
    b = await openWindow('b');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("refuses B's save of Description that A saved since B showed it: B keeps its value, shows A's as saved, and names it", async () => {
    await description(a).fill('from A');
    await a.getByRole('button', { name: 'Save Description', exact: true }).click();
    await expect.poll(async () => (await pending()).description).toBe('from A');

    await description(b).fill('from B');
    await b.getByRole('button', { name: 'Save Description', exact: true }).click();
    await expect
      .poll(() => notice(b).textContent())
      .toBe('Description was changed outside this window (in another window or by a kmip-console command): it now reads "from A". Your value was not saved; save again to replace it.');
    expect((await pending()).description).toBe('from A');
    expect(await description(b).inputValue()).toBe('from B');
    expect(await stateOf(b, 'description').getAttribute('data-state')).toBe('unsaved');
    await closeNotice(b);

    // Told, the operator saves again: the save now replaces A's value.
    await b.getByRole('button', { name: 'Save Description', exact: true }).click();
    await expect.poll(async () => (await pending()).description).toBe('from B');
    await expect.poll(() => stateOf(b, 'description').getAttribute('data-state')).toBe('pending');
  });

  it("refuses B's Clear of a CA file that A replaced since B showed it, and shows the file A loaded", async () => {
    await openCaCert(a);
    await openCaCert(b);
    pickers.a.choose(files.ca);
    await a.getByRole('button', { name: 'Load File for CA Trusted Cert' }).click();
    await expect.poll(async () => (await pending()).caCert?.details.sourceName).toBe('ca.pem');
    const fileB = b.locator('#file-caCert-name');
    await comeBack(b);
    await expect.poll(() => fileB.inputValue()).toBe('ca.pem');
    await closeNotice(b);

    pickers.a.choose(files.bundle);
    await a.getByRole('button', { name: 'Load File for CA Trusted Cert' }).click();
    await expect.poll(async () => (await pending()).caCert?.details.sourceName).toBe('ca-bundle.pem');
    await b.getByRole('button', { name: 'Clear CA Trusted Cert' }).click();
    await expect
      .poll(() => notice(b).textContent())
      .toMatch(
        /^CA Trusted Cert was changed outside this window \(in another window or by a kmip-console command\): it now holds "ca-bundle\.pem" \(PEM, [^)]*, until [\d-]+\)\. Nothing was cleared; clear again to remove it\.$/,
      );
    expect((await pending()).caCert?.details.sourceName).toBe('ca-bundle.pem');
    expect(await fileB.inputValue()).toBe('ca-bundle.pem');
    await closeNotice(b);
    await comeBack(a);
  });

  it('refuses Revert, Apply and Reset in a window that does not show an Apply made elsewhere (the command line)', async () => {
    await b.getByRole('tab', { name: 'Configuration' }).click();
    await comeBack(b);
    await expect.poll(() => b.getByTestId('change-summary').textContent()).toMatch(/saved, not applied/);
    const appliedBefore = async () => {
      await cli.commitApply(await pending()); // what `kmip-console apply` does to the settings as it ends
      return cli.view();
    };

    let before = await appliedBefore();
    await b.getByRole('button', { name: 'Revert', exact: true }).click();
    await b.getByRole('dialog').getByRole('button', { name: 'Revert', exact: true }).click();
    await expect.poll(() => notice(b).textContent()).toMatch(/^The settings were changed outside this window since it showed them .*so nothing was reverted\./);
    expect(await notice(b).textContent()).toMatch(/Server Name, Host Name, Description, CA Trusted Cert were applied outside this window/);
    expect(await cli.view()).toEqual(before);
    await expect.poll(() => b.getByTestId('change-summary').textContent()).toBe('All settings applied.');
    await closeNotice(b);

    await cli.saveField('timeout', 20);
    await comeBack(b);
    await expect.poll(() => notice(b).textContent()).toMatch(/^Timeout was changed outside this window/);
    await closeNotice(b);
    before = await appliedBefore();
    await b.getByRole('button', { name: 'Apply', exact: true }).click();
    const outcome = b.getByTestId('run-apply').getByTestId('run-outcome');
    await expect.poll(() => outcome.getAttribute('data-status')).toBe('failed');
    expect(await outcome.textContent()).toMatch(/so nothing was applied/);
    expect(await cli.view()).toEqual(before);
    await b.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => notice(b).textContent()).toBe('Timeout was applied outside this window (in another window or by a kmip-console command): the window shows what is applied now.');
    await closeNotice(b);

    await cli.saveField('timeout', 25);
    await comeBack(b);
    await expect.poll(() => notice(b).textContent()).toMatch(/^Timeout was changed outside this window/);
    await closeNotice(b);
    before = await appliedBefore();
    await b.getByRole('button', { name: 'Reset', exact: true }).click();
    await b.getByRole('dialog').getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => notice(b).textContent()).toMatch(/so nothing was reset\..*Timeout was applied outside this window/);
    expect(await cli.view()).toEqual(before);
    await closeNotice(b);
  });

  it('lists an object added here even when an earlier read of the list answers after the read that follows the add', async () => {
    await a.getByRole('button', { name: 'Object store' }).click();
    await a.getByTestId('store-table').waitFor();
    const rows = a.getByTestId('store-row');
    const before = await rows.count();
    let release!: () => void;
    holdNextList = new Promise((resolve) => (release = resolve));
    const lateAnswerSent = new Promise<void>((resolve) => (heldListReturned = resolve));
    await comeBack(a); // reads the list without the object, and answers late
    await expect.poll(() => holdNextList).toBeNull();

    const form = a.getByRole('form', { name: 'Add a secret' });
    await form.getByRole('textbox', { name: 'Name' }).fill('added-here');
    await form.getByLabel('Value').fill('value-of-added-here');
    await form.getByRole('button', { name: 'Add secret' }).click();
    await expect.poll(() => a.getByTestId('store-notice').textContent()).toBe('Secret "added-here" added.');
    await expect.poll(() => rows.count()).toBe(before + 1);

    release();
    await lateAnswerSent;
    heldListReturned = null;
    // The late answer reached the page before this round trip (one connection, in order), and the page had
    // a frame and a task after it to use it (its store update and React's render).
    await a.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    expect(await rows.count()).toBe(before + 1);
    expect(await a.getByTestId('store-table').textContent()).toContain('added-here');
  });

  it("keeps a failed action's error shown when the read of the list after it fails too", async () => {
    const form = a.getByRole('form', { name: 'Add a secret' });
    await form.getByRole('textbox', { name: 'Name' }).fill('added-here');
    await form.getByLabel('Value').fill('again');
    listFailure = new AppError('SECRET_STORE_UNAVAILABLE', 'The OS keychain did not answer: unlock it, then come back to this window.');
    try {
      await form.getByRole('button', { name: 'Add secret' }).click();
      await a.getByTestId('store-list-error').waitFor();
      expect(await a.getByTestId('store-error').textContent()).toMatch(/added-here/);
      expect(await a.getByTestId('store-list-error').textContent()).toBe('The OS keychain did not answer: unlock it, then come back to this window.');
    } finally {
      listFailure = null;
    }
    await comeBack(a);
    await a.getByTestId('store-table').waitFor();
    expect(await a.getByTestId('store-list-error').count()).toBe(0);
    expect(await a.getByTestId('store-error').textContent()).toMatch(/added-here/);
  });
});
