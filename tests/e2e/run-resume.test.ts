// An Apply goes on in main when the page reloads or its window closes (explore report 6, finding 1): the
// page shown next shows the run, then its result and the settings it applied; a run that ended while no
// page was there is shown once. Debian Chromium against the REAL main-process handlers and PyKMIP; the
// Apply is held at its last step (committing the settings) while the page goes.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IpcEventChannel, IpcEvents } from '../../common/ipc';
import { entropyAtStart } from '../../main/app/entropy-at-start';
import { createIpcHandlers } from '../../main/app/handlers';
import { KeychainSecretStore } from '../../main/secrets';
import { SettingsRepository } from '../../main/settings';
import { scratchDir } from '../support/scratch-dirs';
import { describeWithServices, testServices } from '../support/services';
import { buildRenderer, installBridge, launchChromium, startRendererServer, type RendererServer } from './harness';
import { savePykmipSettings } from '../support/pykmip-settings';
import { startSilentTcpServer } from '../support/transport-fixtures';

describeWithServices('a run that outlives its page (Chromium, real handlers, PyKMIP)', () => {
  let server: RendererServer;
  let browser: Browser;
  let context: BrowserContext;
  let settings: SettingsRepository;
  let handlers: ReturnType<typeof createIpcHandlers>;
  /** the page that main's events go to, as main.ts sends to the window there is */
  let emit: <E extends IpcEventChannel>(event: E, payload: IpcEvents[E]) => void = () => {};
  /** while set, Apply waits at its last step (Apply the settings) until it settles */
  let commitGate: Promise<void> | null = null;
  let releaseCommit = () => {};

  function holdApplyAtCommit(): void {
    commitGate = new Promise((resolve) => (releaseCommit = resolve));
  }

  /** A page of the window: the bridge stands in for the preload, main's events go to it from now on. */
  async function openPage(): Promise<Page> {
    const page = await context.newPage();
    emit = (await installBridge(page, handlers)).emit;
    await page.goto(server.url);
    // includeHidden: a run that ended while no page was there may open its dialog before this looks, and a
    // modal dialog hides the rest of the page (this heading too) from the accessibility tree.
    await page.getByRole('heading', { name: 'External Key Server (KMIP)', includeHidden: true }).waitFor();
    return page;
  }

  async function applyHeldAtCommit(page: Page): Promise<void> {
    holdApplyAtCommit();
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const commitStep = page.getByTestId('run-apply').getByTestId('step-settings');
    await expect.poll(() => commitStep.getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
  }

  /** The reason the page's leave guard gives now (Chromium shows none of it; Electron's main words its own). */
  function leaveReason(page: Page): Promise<string> {
    return page.evaluate(() => {
      const event = document.createEvent('BeforeUnloadEvent');
      event.initEvent('beforeunload', false, true);
      window.dispatchEvent(event);
      return (event as BeforeUnloadEvent).returnValue;
    });
  }

  beforeAll(async () => {
    const services = testServices()!;
    await buildRenderer();
    server = await startRendererServer();
    const dataDir = scratchDir('kmip-e2e-resume-');
    const secrets = new KeychainSecretStore(`kmip-console-e2e-${randomUUID()}`);
    settings = new SettingsRepository({ dataDir, secrets });
    await savePykmipSettings(settings, services);
    const commitApply = settings.commitApply.bind(settings);
    settings.commitApply = async (used) => {
      await commitGate;
      return commitApply(used);
    };
    handlers = createIpcHandlers({
      dataDir,
      settings,
      secrets,
      pickFile: async () => null,
      pickSaveFile: async () => null,
      emitProgress: (event) => emit('progress', event),
      emitRunFinished: (run) => emit('runFinished', run),
      entropyAtStart: entropyAtStart(settings),
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    releaseCommit();
    await browser?.close();
    await server?.close();
  });

  it('after a reload during an Apply, the page shows the running Apply, then its result and the settings it applied', async () => {
    const page = await openPage();
    await applyHeldAtCommit(page);
    expect(await leaveReason(page)).toBe('The running Apply goes on in the background: its result is shown when the window is back.');

    page.once('dialog', (dialog) => void dialog.accept()); // the operator chooses Leave
    await page.reload();
    const dialog = page.getByTestId('run-apply');
    await dialog.waitFor();
    const outcome = dialog.getByTestId('run-outcome');
    expect(await outcome.getAttribute('data-status')).toBe('running');
    expect(await dialog.getByTestId('step-register').getAttribute('data-status')).toBe('pass');
    expect(await dialog.getByTestId('step-settings').getAttribute('data-status')).toBe('running');
    expect(await dialog.getByRole('button', { name: 'Close' }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Cancel apply' }).isEnabled()).toBe(true);
    expect(await page.getByTestId('change-summary').textContent()).not.toBe('All settings applied.');

    releaseCommit();
    await expect.poll(() => outcome.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await outcome.textContent()).toMatch(/^Settings applied\. Admin Key generation 1 is registered on the server as ".+"\.$/);
    expect(await dialog.getByTestId('step-settings').getAttribute('data-status')).toBe('pass');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The settings the Apply applied, without a reload or a view switch.
    await expect.poll(() => page.getByTestId('change-summary').textContent()).toBe('All settings applied.');
    expect(await page.getByTestId('row-port').getByTestId('field-state').getAttribute('data-state')).toBe('applied');

    // This page showed the result: the next one does not show it again.
    await page.reload();
    await page.getByTestId('change-summary').waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('run-apply').count()).toBe(0);
    await page.close();
  });

  it('an Apply that ended while no page was there is shown once, in the run dialog, by the next page', async () => {
    await settings.saveField('description', 'second Apply, window closed meanwhile');
    const first = await openPage();
    await applyHeldAtCommit(first);
    await first.close(); // the window closed (macOS keeps kmip-console running)
    releaseCommit();
    await expect.poll(async () => (await settings.loadApplied())?.description, { timeout: 30_000 }).toBe('second Apply, window closed meanwhile');

    const page = await openPage();
    const outcome = page.getByTestId('run-apply').getByTestId('run-outcome');
    await expect.poll(() => outcome.getAttribute('data-status')).toBe('succeeded');
    expect(await outcome.textContent()).toMatch(/^Settings applied\. Admin Key generation 2 is registered/);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByTestId('change-summary').textContent()).toBe('All settings applied.');

    await page.reload();
    await page.getByTestId('change-summary').waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('run-apply').count()).toBe(0);
  });

  // Explore report s18-x4, F7: the fields of the page after the reload show the saved values, not those tested.
  it('after a reload during a Test of unsaved values, the run dialog says that its result is about values no longer on screen', async () => {
    const silent = await startSilentTcpServer(); // accepts, never answers TLS: the Test waits for Timeout
    try {
      const page = await openPage();
      const savedPort = await page.getByRole('textbox', { name: 'Port', exact: true }).inputValue();
      await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(silent.port));
      await page.getByRole('textbox', { name: 'Timeout', exact: true }).fill('4');
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const tls = page.getByTestId('run-test').getByTestId('step-tls');
      await expect.poll(() => tls.getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
      // The page that started it says nothing of the kind: its fields show what the Test runs with.
      expect(await page.getByTestId('run-unsaved-values').count()).toBe(0);

      page.once('dialog', (dialog) => void dialog.accept()); // the operator chooses Leave
      await page.reload();
      const dialog = page.getByTestId('run-test');
      await dialog.waitFor();
      const note = /^This Test ran with the values on screen at \d\d:\d\d, not saved then \(Port, Timeout\); those unsaved values are no longer shown: the fields show the saved ones\.$/;
      expect(await dialog.getByTestId('run-unsaved-values').textContent()).toMatch(note);
      const outcome = dialog.getByTestId('run-outcome');
      await expect.poll(() => outcome.getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
      expect(await dialog.getByTestId('run-unsaved-values').textContent()).toMatch(note);
      await dialog.getByRole('button', { name: 'Close' }).click();
      expect(await page.getByRole('textbox', { name: 'Port', exact: true }).inputValue()).toBe(savedPort);
      await page.close();
    } finally {
      await silent.close();
    }
  });
});
