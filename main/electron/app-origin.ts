// The renderer's origin: a privileged custom scheme instead of file://, so the page has a real,
// narrow origin that CSP 'self', the sender check and the navigation policy can all name.
export const APP_SCHEME = 'app';
export const APP_HOST = 'kmip-console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True when `url` parses and belongs to the renderer's origin (scheme and host both match). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
