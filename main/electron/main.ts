// Electron main process: one sandboxed window showing the renderer from app://, every IPC channel
// behind the sender check, and nothing the page could use to navigate, open windows or ask for
// permissions.
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, nativeTheme, protocol, session, type WebContents } from 'electron';
import { AppError } from '../../common/app-error';
import type { FinishedRun, ProgressEvent, RunKind } from '../../common/ipc';
import { entropyAtStart } from '../app/entropy-at-start';
import { createIpcHandlers, type FilePickRequest } from '../app/handlers';
import { ensureFolder } from '../files';
import { KeychainSecretStore } from '../secrets';
import { SettingsRepository } from '../settings';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME } from './app-origin';
import { buildAppResponse } from './app-response';
import { registerIpcHandlers } from './ipc';
import { LeavePrompt, quitWhileRunning, type LeaveQuestion } from './leave-prompt';
import {
  denyPermissionCheck,
  denyPermissionRequest,
  shouldBlockNavigation,
  shouldBlockWebview,
  windowOpenDecision,
} from './navigation-policy';
import { mainWindowOptions } from './window-options';

// Must run before 'ready': every renderer sandboxed, whatever its options; app:// behaves like
// https (standard, secure origin) for the page.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
]);

const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');
let mainWindow: BrowserWindow | null = null;
/** the leave question of mainWindow */
let leavePrompt: LeavePrompt | null = null;
/** the Test, Apply or Recover main runs now */
let runningKind: RunKind | null = null;
/** the operator chose to quit although a run goes on: the quit that follows does not ask again */
let quitConfirmed = false;

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const response = await buildAppResponse(rendererDir, url.pathname);
    return new Response(new Uint8Array(response.body), { status: response.status, headers: response.headers });
  });
}

function hardenSessionAndContents(): void {
  session.defaultSession.setPermissionRequestHandler(denyPermissionRequest);
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);
  // The page has nothing to download; a download could only come from injected content.
  session.defaultSession.on('will-download', (event) => event.preventDefault());
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (shouldBlockNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (shouldBlockNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => {
      if (shouldBlockWebview()) event.preventDefault();
    });
    contents.setWindowOpenHandler(windowOpenDecision);
  });
}

async function pickFile(request: FilePickRequest): Promise<string | null> {
  const options = {
    title: request.title,
    properties: ['openFile' as const],
    filters: [...request.filters, { name: 'All files', extensions: ['*'] }],
  };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function pickSaveFile(request: { title: string; defaultName: string }): Promise<string | null> {
  const options = { title: request.title, defaultPath: request.defaultName };
  const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return result.canceled ? null : (result.filePath ?? null);
}

function emitProgress(event: ProgressEvent): void {
  mainWindow?.webContents.send('progress', event);
}

function emitRunFinished(run: FinishedRun): void {
  mainWindow?.webContents.send('runFinished', run);
}

/**
 * The page's beforeunload guard (unsaved fields, typed passwords, a secret or key name typed in the
 * object store, a running Test, Apply or Recover) only keeps the window in Electron, which shows no
 * question of its own: ask here, with what the page reported it would lose (leave-prompt.ts).
 */
function confirmLeaving(window: BrowserWindow): LeavePrompt {
  const prompt = new LeavePrompt(process.platform === 'darwin');
  window.on('close', () => prompt.onWindowClose());
  window.webContents.on('will-prevent-unload', (event) => {
    const { message, detail } = prompt.question();
    const choice = dialog.showMessageBoxSync(window, {
      type: 'warning',
      title: 'Leave kmip-console?',
      message,
      detail,
      buttons: ['Stay', 'Leave'],
      defaultId: 0,
      cancelId: 0,
    });
    // Leave, to a question that said quitting stops the run: the quit that follows asks no more.
    if (choice === 1 && prompt.stopsRunIfLeft()) quitConfirmed = true;
    prompt.answered(choice === 1 ? 'leave' : 'stay');
    if (choice === 1) event.preventDefault(); // ignores the page's guard: the window closes or reloads
  });
  return prompt;
}

/** the question before quitting is open: a second quit does not open another */
let askingToQuit = false;

/**
 * Asks before quitting stops a run. Not the blocking dialog: the run goes on in main while the question
 * is open (its requests have a Timeout). Stay brings a window back when there is none: on Windows and
 * Linux there is no other way back to the app, and the window shows the run.
 */
async function askBeforeQuitting(question: LeaveQuestion): Promise<void> {
  if (askingToQuit) return;
  askingToQuit = true;
  try {
    const { response } = await dialog.showMessageBox({ type: 'warning', title: 'Quit kmip-console?', ...question, buttons: ['Stay', 'Quit'], defaultId: 0, cancelId: 0 });
    if (response === 1) {
      quitConfirmed = true;
      app.quit();
    } else if (!mainWindow) {
      createWindow();
    }
  } finally {
    askingToQuit = false;
  }
}

function createWindow(): void {
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath,
      packaged: app.isPackaged,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#121417' : '#f5f6f8',
    }),
  );
  mainWindow = window;
  leavePrompt = confirmLeaving(window);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow !== window) return;
    mainWindow = null;
    leavePrompt = null;
  });
  void window.loadURL(APP_ENTRY_URL);
}

function trustedContents(): WebContents | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;
}

async function start(): Promise<void> {
  if (app.isPackaged && process.platform !== 'darwin') Menu.setApplicationMenu(null);
  serveRenderer();
  hardenSessionAndContents();
  const dataDir = app.getPath('userData');
  await ensureFolder(dataDir, 'data folder');
  const secrets = new KeychainSecretStore();
  const settings = new SettingsRepository({ dataDir, secrets });
  const entropy = entropyAtStart(settings);
  void entropy.then((report) => console.log(`kmip-console: entropy at start: ${report.status}: ${report.detail}`));
  const handlers = createIpcHandlers({
    dataDir,
    settings,
    secrets,
    pickFile,
    pickSaveFile,
    emitProgress,
    emitRunFinished,
    runningChanged: (kind) => (runningKind = kind),
    pageLossesChanged: (losses) => leavePrompt?.pageLossesChanged(losses),
    entropyAtStart: entropy,
  });
  registerIpcHandlers(handlers, trustedContents);
  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('before-quit', (event) => {
    leavePrompt?.onAppQuit();
    if (quitConfirmed) return;
    // A page that shows the run asks itself, with the same words; without one (the window closed on macOS), main asks.
    const question = quitWhileRunning(runningKind, leavePrompt?.reportsRun() ?? false);
    if (!question) return;
    event.preventDefault();
    leavePrompt?.answered('stay'); // not quitting until the answer
    void askBeforeQuitting(question);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  // A failed start (e.g. the data folder cannot be created) is shown, not left as a process without a window.
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // An AppError's message is written for people and carries no secret; anything else is named only.
      const detail = error instanceof AppError ? error.message : `An unexpected ${error instanceof Error ? error.name : 'error'} occurred.`;
      console.error(`kmip-console: could not start: ${detail}`);
      dialog.showErrorBox('kmip-console could not start', detail);
      app.exit(1);
    });
}
