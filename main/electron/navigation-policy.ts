// Decisions for navigation, new windows and permission requests. The renderer is a single page:
// it never navigates, never opens windows and needs no permission, so every request is refused.
// Pure functions, wired to Electron in main.ts and unit-tested under Node.

export type WindowOpenDecision = { action: 'deny' };

/** will-navigate / will-redirect: returns true when the navigation must be prevented (always). */
export function shouldBlockNavigation(_targetUrl: string): boolean {
  return true;
}

/** setWindowOpenHandler: no new windows, whatever the URL (external links included). */
export function windowOpenDecision(_details: { url: string }): WindowOpenDecision {
  return { action: 'deny' };
}

/** setPermissionRequestHandler: answers the callback with false for every permission. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** setPermissionCheckHandler: no permission is ever reported as granted. */
export function denyPermissionCheck(_webContents: unknown, _permission: string): boolean {
  return false;
}

/** will-attach-webview: webviews are disabled in webPreferences; refuse any attempt anyway. */
export function shouldBlockWebview(): boolean {
  return true;
}
