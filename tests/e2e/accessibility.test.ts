// Automated accessibility audit of the renderer in Debian Chromium against the REAL main/app handlers
// (settings and store in a temp data folder, an in-memory keychain, the PyKMIP server and test PKI of
// scripts/with-services.sh). axe-core (Deque) runs in the page, under the app's own CSP, in every distinct
// screen state: the KMIP dialog's tabs and sub-tabs, a refused value, the warnings, Test (running,
// passed, failed), Apply (running, done), the confirmations, notices, System Recovery Options, recovery
// mode and the object store; each state in the light and in the dark theme. A violation of impact
// 'serious' or 'critical' fails the state's test, with each rule's id, impact, help, help page and the
// selectors of the elements at fault. Every violation found, of any impact, is written to
// test-results/accessibility.txt.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults, ImpactValue, RunOptions } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IpcEventChannel, IpcEvents } from '../../common/ipc';
import { entropyAtStart } from '../../main/app/entropy-at-start';
import { recoveryState } from '../../main/eks';
import { SettingsRepository } from '../../main/settings';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../main/store';
import { scratchDir } from '../support/scratch-dirs';
import { testHandlers } from '../support/test-handlers';
import { describeWithServices, REPO_ROOT, testServices, type TestServices } from '../support/services';
import { MemorySecretStore } from '../unit/settings/memory-secret-store';
import { buildRenderer, FilePicker, gatedHandlers, installBridge, launchChromium, startRendererServer, type RendererServer } from './harness';
import { savePykmipSettings } from '../support/pykmip-settings';

const require = createRequire(import.meta.url);
/** axe-core's own build, evaluated in the page (an inline <script> would be refused by the app's CSP). */
const AXE_SOURCE = readFileSync(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
const AXE_VERSION = (require('axe-core/package.json') as { version: string }).version;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const AXE_OPTIONS: RunOptions = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] };
const BLOCKING: ImpactValue[] = ['serious', 'critical'];
const REPORT = path.join(REPO_ROOT, 'test-results/accessibility.txt');

interface Finding {
  state: string;
  id: string;
  impact: ImpactValue | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; summary: string }[];
}

/** One finding as a failure message or report shows it: enough to find the element and the fix. */
function describeFinding(finding: Finding): string {
  const nodes = finding.nodes.map((node) => `    - ${node.target}${node.summary ? `\n      ${node.summary.replace(/\n\s*/g, ' ')}` : ''}`);
  return `[${finding.state}] ${finding.id} (${finding.impact ?? 'no impact'}): ${finding.help} — ${finding.helpUrl}\n${nodes.join('\n')}`;
}

describeWithServices('Accessibility: axe-core finds no serious or critical violation in any screen state (Chromium, real handlers)', () => {
  let services: TestServices;
  let dataDir: string;
  let server: RendererServer;
  let browser: Browser;
  let page: Page;
  let settings: SettingsRepository;
  let secrets: MemorySecretStore;
  const filePicker = new FilePicker();
  const findings: Finding[] = [];
  const consoleProblems: string[] = [];
  /** while set, eks:test and settings:apply answer only once it settles (to audit a run in progress) */
  let runGate: Promise<void> | null = null;

  async function injectAxe(): Promise<void> {
    if (await page.evaluate(() => 'axe' in window)) return;
    await page.evaluate(AXE_SOURCE);
  }

  /** The theme follows the system's (no choice stored): switch it, and wait for MUI's colour transitions to end. */
  async function useScheme(scheme: 'light' | 'dark'): Promise<void> {
    await page.emulateMedia({ colorScheme: scheme });
    await expect.poll(() => page.locator('[data-theme-mode]').getAttribute('data-theme-mode')).toBe(scheme);
    await settle();
  }

  /** Waits until no transition runs (dialogs opened, colours switched); endless progress animations do not count. */
  async function settle(): Promise<void> {
    await expect
      .poll(() =>
        page.evaluate(
          () => document.getAnimations().filter((animation) => animation.playState === 'running' && animation.effect?.getTiming().iterations !== Infinity).length,
        ),
      )
      .toBe(0);
  }

  async function axeFindings(state: string): Promise<Finding[]> {
    await injectAxe();
    const violations = await page.evaluate(async (options) => {
      const { axe } = window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } };
      const results = await axe.run(document, options);
      return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({ target: node.target.map(String).join(' '), summary: node.failureSummary ?? '' })),
      }));
    }, AXE_OPTIONS);
    return violations.map((violation) => ({ state, ...violation }));
  }

  /**
   * Records the findings of one state and fails the test (softly: the states after it are still audited)
   * with each serious or critical one.
   */
  function record(state: string, found: Finding[]): void {
    findings.push(...found);
    const blocking = found.filter((finding) => finding.impact !== null && BLOCKING.includes(finding.impact)).map(describeFinding);
    expect.soft(blocking, `axe-core: serious or critical violations in "${state}":\n${blocking.join('\n')}`).toEqual([]);
  }

  /**
   * Audits the page as it is now, in the light and the dark theme. The pointer goes to a corner first
   * (no hover colours), unless `keepPointer` (a notice that stays only while the pointer rests on it).
   */
  async function audit(state: string, { keepPointer = false } = {}): Promise<void> {
    const found: Finding[] = [];
    if (!keepPointer) await page.mouse.move(1, 1);
    try {
      for (const scheme of ['light', 'dark'] as const) {
        await useScheme(scheme);
        found.push(...(await axeFindings(`${state}, ${scheme}`)));
      }
    } finally {
      await useScheme('light');
    }
    record(state, found);
  }

  async function saveField(label: string, value: string): Promise<void> {
    await page.getByRole('textbox', { name: label, exact: true }).fill(value);
    await page.getByRole('button', { name: `Save ${label}`, exact: true }).click();
  }

  async function openAdvanced(sub: string): Promise<void> {
    await page.getByRole('tab', { name: 'Advanced', exact: true }).click();
    await page.getByRole('tab', { name: sub, exact: true }).click();
  }

  async function finishedRun(kind: string) {
    const outcome = page.getByTestId(`run-${kind}`).getByTestId('run-outcome');
    await expect.poll(() => outcome.getAttribute('data-status'), { timeout: 45_000 }).not.toBe('running');
    return outcome;
  }

  async function closeRun(kind: string): Promise<void> {
    await page.getByTestId(`run-${kind}`).getByRole('button', { name: 'Close' }).click();
    await page.getByTestId(`run-${kind}`).waitFor({ state: 'detached' });
  }

  beforeAll(async () => {
    services = testServices()!;
    await buildRenderer();
    server = await startRendererServer();
    dataDir = scratchDir('kmip-e2e-a11y-');
    secrets = new MemorySecretStore();
    settings = new SettingsRepository({ dataDir, secrets });
    // Pending settings that pass Test and Apply against PyKMIP: the states below show loaded files and passed steps.
    await savePykmipSettings(settings, services, 'encrypted');
    let emit: <E extends IpcEventChannel>(event: E, payload: IpcEvents[E]) => void = () => {};
    const handlers = testHandlers(dataDir, secrets, {
      settings,
      pickFile: filePicker.pick,
      emitProgress: (event) => emit('progress', event),
      emitRunFinished: (run) => emit('runFinished', run),
      entropyAtStart: entropyAtStart(settings),
    });
    const gated = gatedHandlers(handlers, { 'eks:test': () => runGate, 'settings:apply': () => runGate });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: 'light' });
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => consoleProblems.push(error.message));
    emit = (await installBridge(page, gated)).emit;
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'External Key Server (KMIP)' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mkdir(path.dirname(REPORT), { recursive: true });
    const byImpact = (impact: string) => findings.filter((finding) => (finding.impact ?? 'none') === impact).length;
    const counts = ['critical', 'serious', 'moderate', 'minor', 'none'].map((impact) => `${impact} ${byImpact(impact)}`).join(', ');
    await writeFile(REPORT, `axe-core ${AXE_VERSION}, rules tagged ${AXE_TAGS.join(', ')}\n${findings.length} finding(s): ${counts}\n\n${findings.map(describeFinding).join('\n\n')}\n`);
  });

  it('KMIP settings › Basic, with the settings saved and not applied', async () => {
    await page.getByTestId('entropy-status').and(page.locator(':not([data-status="checking"])')).waitFor();
    await audit('Basic');
  });

  it('Basic: a value refused at Save, its message shown at the field', async () => {
    await saveField('Port', '70000');
    await page.getByTestId('row-port').getByRole('alert').waitFor();
    await audit('Basic, Port refused');
    await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(services.port));
    await page.getByTestId('row-port').getByRole('alert').waitFor({ state: 'detached' });
  });

  it('Basic: a select open, and the warning for Verify = no', async () => {
    await page.getByRole('combobox', { name: 'Verify', exact: true }).click();
    await page.getByRole('listbox').waitFor();
    await audit('Basic, Verify options open');
    await page.getByRole('option', { name: 'no', exact: true }).click();
    await page.getByTestId('verify-warning').waitFor();
    await audit('Basic, Verify = no warning');
    await page.getByRole('combobox', { name: 'Verify', exact: true }).click();
    await page.getByRole('option', { name: 'yes', exact: true }).click();
    await page.getByTestId('verify-warning').waitFor({ state: 'detached' });
  });

  it('Advanced › Cert, with the loaded file, and with a refused load', async () => {
    await openAdvanced('Cert');
    await page.getByTestId('slot-clientCert').getByTestId('file-details').waitFor();
    await audit('Advanced › Cert');
    const slot = page.getByTestId('slot-clientCert');
    await slot.getByRole('combobox', { name: 'Format' }).click();
    await page.getByRole('option', { name: 'P12 (PKCS#12)', exact: true }).click();
    await page.locator('#file-clientCert-password').fill('wrong password');
    filePicker.choose(services.pki.clientP12);
    await page.getByRole('button', { name: 'Load File for Cert' }).click();
    await page.getByTestId('slot-error-clientCert').waitFor();
    await audit('Advanced › Cert, load refused');
    await slot.getByRole('combobox', { name: 'Format' }).click();
    await page.getByRole('option', { name: 'PEM', exact: true }).click();
    await page.locator('#file-clientCert-password').fill('');
  });

  it('Advanced › Key, with the key matching the Cert and its password stored', async () => {
    await openAdvanced('Key');
    await page.getByTestId('key-match').waitFor();
    await audit('Advanced › Key');
  });

  it('Advanced › CA Trusted Cert, Server Cert, Server Key', async () => {
    await openAdvanced('CA Trusted Cert');
    await page.getByTestId('slot-caCert').getByTestId('file-details').waitFor();
    await audit('Advanced › CA Trusted Cert');
    await openAdvanced('Server Cert');
    await page.getByTestId('slot-serverCert').waitFor();
    await audit('Advanced › Server Cert (empty)');
    await openAdvanced('Server Key');
    await page.getByTestId('slot-serverKey').waitFor();
    await audit('Advanced › Server Key (empty)');
  });

  it('Advanced › Credentials, and with a refused Ciphers value', async () => {
    await openAdvanced('Credentials');
    await page.getByTestId('row-password').waitFor();
    await audit('Advanced › Credentials');
    await saveField('Ciphers', 'NOT A CIPHER!!');
    await page.getByTestId('row-ciphers').getByRole('alert').waitFor();
    await audit('Advanced › Credentials, Ciphers refused');
    await page.locator('#field-ciphers').fill('');
  });

  it('Configuration', async () => {
    await page.getByRole('tab', { name: 'Configuration', exact: true }).click();
    await page.getByTestId('row-description').waitFor();
    await audit('Configuration');
  });

  it('a confirmation dialog (Revert)', async () => {
    await page.getByRole('button', { name: 'Revert', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Revert to the applied settings?' });
    await dialog.waitFor();
    await audit('Revert confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('Test: in progress, then passed', async () => {
    await page.getByRole('tab', { name: 'Basic', exact: true }).click();
    let open = () => {};
    runGate = new Promise((resolve) => (open = resolve));
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByTestId('run-test').waitFor();
    await audit('Test in progress');
    open();
    runGate = null;
    const outcome = await finishedRun('test');
    expect(await outcome.getAttribute('data-status')).toBe('succeeded');
    await audit('Test passed');
    await closeRun('test');
  });

  it('Test: failed, with the failed step and its fix', async () => {
    await page.getByRole('textbox', { name: 'Port', exact: true }).fill('1');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const outcome = await finishedRun('test');
    expect(await outcome.getAttribute('data-status')).toBe('failed');
    await page.getByTestId('run-test').getByTestId('step-fix').first().waitFor();
    await audit('Test failed');
    await closeRun('test');
    await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(services.port));
  });

  it('Apply: in progress, then done', async () => {
    let open = () => {};
    runGate = new Promise((resolve) => (open = resolve));
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByTestId('run-apply').waitFor();
    await audit('Apply in progress');
    open();
    runGate = null;
    const outcome = await finishedRun('apply');
    expect(await outcome.getAttribute('data-status')).toBe('succeeded');
    await audit('Apply done');
    await closeRun('apply');
    await expect.poll(() => page.getByTestId('change-summary').textContent()).toBe('All settings applied.');
    await audit('Basic, all applied');
  });

  it('notices: news (info) and a warning', async () => {
    const notice = page.locator('.MuiSnackbar-root [role="alert"]');
    // News hides by itself after a few seconds, unless the pointer rests on it.
    await page.getByRole('textbox', { name: 'Server Name', exact: true }).fill('Renamed');
    await page.getByRole('button', { name: 'Revert', exact: true }).click();
    await page.getByRole('dialog', { name: 'Revert to the applied settings?' }).getByRole('button', { name: 'Revert' }).click();
    await notice.waitFor();
    await notice.hover({ position: { x: 4, y: 4 } });
    await audit('Notice (info)', { keepPointer: true });
    await notice.getByRole('button', { name: 'Close' }).click();
    await notice.waitFor({ state: 'detached' });

    // A warning stays until closed: a field changed outside this window.
    await settings.saveField('description', 'Changed by another window');
    await saveField('Server Name', 'Lab server');
    await expect.poll(() => notice.textContent()).toMatch(/^Description was changed outside this window/);
    await audit('Notice (warning)');
    await notice.getByRole('button', { name: 'Close' }).click();
    await notice.waitFor({ state: 'detached' });
    await saveField('Server Name', 'PyKMIP lab');
  });

  it('System Recovery Options: the store unlocks; the store cannot be unlocked', async () => {
    await page.getByRole('button', { name: 'Recovery options' }).click();
    await page.getByTestId('recovery-state').waitFor();
    await audit('System Recovery Options, store unlocks');

    // The local unlock is lost (a new machine): the app opens on System Recovery Options.
    const unlockKeys = keychainUnlockKeys(secrets);
    const before = await recoveryState(dataDir, unlockKeys, true);
    await unlockKeys.remove(before.storeId!);
    await page.reload();
    await expect.poll(() => page.getByTestId('recovery-state').getAttribute('data-state')).toBe('needs-recovery');
    await audit('System Recovery Options, needs recovery');
  });

  it('recovery mode in the KMIP settings, and the recovery done', async () => {
    await page.getByRole('button', { name: 'Recovery from External Key Server' }).click();
    await page.getByTestId('recovery-mode').waitFor();
    await audit('KMIP settings in recovery mode');
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    const outcome = await finishedRun('recover');
    expect(await outcome.getAttribute('data-status')).toBe('succeeded');
    await audit('Recovery done');
    await closeRun('recover');
  });

  it('System Recovery Options: a file that is no backup, then a backup that would replace the store', async () => {
    const store = await ObjectStore.open(storeFilePath(dataDir), keychainUnlockKeys(secrets));
    const backupFile = path.join(scratchDir('kmip-e2e-a11y-backup-'), 'store-backup.kcs');
    await store.exportBackup(backupFile);
    await page.getByRole('button', { name: 'Recovery options' }).click();
    filePicker.choose(services.pki.caCert);
    await page.getByRole('button', { name: 'Choose backup file…' }).click();
    await page.getByTestId('backup-error').waitFor();
    await audit('System Recovery Options, not a backup');
    filePicker.choose(backupFile);
    await page.getByRole('button', { name: 'Choose backup file…' }).click();
    await page.getByTestId('backup-replaces').waitFor();
    await audit('System Recovery Options, backup chosen');
  });

  it('Object store: the list, a name refused as typed, an action done, an action refused, a delete confirmation', async () => {
    await page.getByRole('button', { name: 'Object store' }).click();
    await page.getByTestId('store-table').waitFor();
    await audit('Object store');

    const secretForm = page.getByRole('form', { name: 'Add a secret' });
    await secretForm.getByRole('textbox', { name: 'Name' }).fill('db-password');
    await secretForm.getByLabel('Value').fill('store-secret-a11y');
    await secretForm.getByRole('button', { name: 'Add secret' }).click();
    await page.getByTestId('store-notice').waitFor();
    const keyForm = page.getByRole('form', { name: 'Generate a key' });
    await keyForm.getByRole('textbox', { name: 'Key name' }).fill('🔑'.repeat(257));
    await keyForm.getByText('An object name must be 1–256 characters; this one has 257.').waitFor();
    await audit('Object store, secret added, key name refused');
    await keyForm.getByRole('textbox', { name: 'Key name' }).fill('');

    await secretForm.getByRole('textbox', { name: 'Name' }).fill('db-password');
    await secretForm.getByLabel('Value').fill('again');
    await secretForm.getByRole('button', { name: 'Add secret' }).click();
    await page.getByTestId('store-error').waitFor();
    await audit('Object store, add refused');

    await page.getByRole('button', { name: 'Delete db-password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete "db-password"?' });
    await dialog.waitFor();
    await audit('Object store, delete confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('the explicit dark theme (the toggle), and no CSP violation or page error from the audit', async () => {
    await page.getByRole('button', { name: 'KMIP settings' }).click();
    await page.getByTestId('theme-toggle').click(); // system → light
    await page.getByTestId('theme-toggle').click(); // light → dark
    expect(await page.locator('[data-theme-mode]').getAttribute('data-theme-mode')).toBe('dark');
    await settle();
    record('Basic, theme chosen dark', await axeFindings('Basic, theme chosen dark'));
    expect(consoleProblems).toEqual([]);
  });
});
