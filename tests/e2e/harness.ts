// E2E harness: builds the renderer, serves it with the exact headers the app:// handler sends
// (CSP with style nonce included), launches Debian Chromium through playwright-core, and installs a
// window.kmip bridge whose calls run the REAL main/app handlers in this test process, through the
// same dispatchIpc (schema validation, error mapping) as the Electron IPC wrapper.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import type { IpcChannel, IpcEventChannel, IpcEvents } from '../../common/ipc';
import { dispatchIpc, type IpcHandlers } from '../../main/app/ipc-dispatch';
import { buildAppResponse } from '../../main/electron/app-response';
import { REPO_ROOT } from '../support/services';

export const RENDERER_DIR = path.join(REPO_ROOT, 'dist/renderer');
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Production build of the renderer (vitest sets NODE_ENV=test, which would bundle React's dev build). */
export async function buildRenderer(): Promise<void> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(REPO_ROOT, 'renderer/vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

export interface RendererServer {
  url: string;
  close(): Promise<void>;
}

/** Serves dist/renderer on a free loopback port with the app:// handler's responses. */
export async function startRendererServer(rootDir: string = RENDERER_DIR): Promise<RendererServer> {
  const server: Server = createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    buildAppResponse(rootDir, pathname).then(
      (answer) => {
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      },
      () => {
        response.writeHead(500);
        response.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Stands in for the native file picker of the handlers (pickFile): a call answers the file chosen
 * last with choose(), once; with nothing chosen it answers null, as when the operator cancels.
 */
export class FilePicker {
  private chosen: string | null = null;

  choose(file: string): void {
    this.chosen = file;
  }

  readonly pick = async (): Promise<string | null> => {
    const file = this.chosen;
    this.chosen = null;
    return file;
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * `handlers` with the channels of `gates` held: each call first awaits what its gate returns at that
 * moment (null: no hold), so that a test can look at the page while main has not answered yet.
 */
export function gatedHandlers(handlers: IpcHandlers, gates: Partial<Record<IpcChannel, () => Promise<void> | null>>): IpcHandlers {
  const gated: Record<string, (request: never) => Promise<unknown>> = { ...handlers };
  for (const [channel, gate] of Object.entries(gates)) {
    const handler = gated[channel] as (request: never) => Promise<unknown>;
    gated[channel] = async (request) => {
      await gate();
      return handler(request);
    };
  }
  return gated as IpcHandlers;
}

/**
 * Stands in for the preload: window.kmip = a frozen { invoke, on } whose invoke crosses into this
 * process. Calls from anything but the page's main frame are refused, as the IPC wrapper does.
 * Returns `emit`, the stand-in for webContents.send.
 */
// Plain JavaScript, run in the page before its own scripts (a string, so no compiler helper leaks in).
const BRIDGE_INIT_SCRIPT = `(() => {
  const invokeMain = window.__kmipInvoke;
  const listeners = new Map();
  Object.defineProperty(window, '__kmipEmit', {
    value: (event, payload) => { const set = listeners.get(event); if (set) for (const l of set) l(payload); },
  });
  const api = Object.freeze({
    invoke: (channel, request) => invokeMain(channel, request),
    on: (event, listener) => {
      const set = listeners.get(event) || new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => { set.delete(listener); };
    },
  });
  Object.defineProperty(window, 'kmip', { value: api, writable: false, configurable: false });
})();`;

export async function installBridge(page: Page, handlers: IpcHandlers): Promise<{ emit<E extends IpcEventChannel>(event: E, payload: IpcEvents[E]): void }> {
  await page.exposeBinding('__kmipInvoke', async (source, channel: unknown, request: unknown) => {
    if (source.frame !== source.page.mainFrame()) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: 'Request refused: it did not come from the kmip-console window.' } };
    }
    return dispatchIpc(handlers, channel, request);
  });
  await page.addInitScript({ content: BRIDGE_INIT_SCRIPT });
  return {
    emit(event, payload) {
      page.evaluate(`window.__kmipEmit(${JSON.stringify(event)}, ${JSON.stringify(payload)})`).catch(() => {
        // The page may be closing at the end of a test; a lost progress event is harmless then.
      });
    },
  };
}
