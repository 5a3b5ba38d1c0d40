// The one window's options. Pure (type-only use of 'electron'), so the security-relevant web
// preferences are asserted by unit tests.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** absolute path of dist/electron/preload.cjs */
  preloadPath: string;
  /** app.isPackaged: devtools are off in a packaged build */
  packaged: boolean;
  /** background painted before the renderer's first frame (matches the theme, no white flash) */
  backgroundColor: string;
}

export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 820,
    minWidth: 760,
    minHeight: 560,
    show: false,
    title: 'kmip-console',
    backgroundColor: input.backgroundColor,
    autoHideMenuBar: true,
    webPreferences: {
      preload: input.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !input.packaged,
    },
  };
}
