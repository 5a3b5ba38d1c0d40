// Maps an app:// request to a file inside the built renderer folder, refusing anything that could
// escape it. Pure (no 'electron'), so the traversal rules are unit-tested under Node.
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

/**
 * Absolute path of the file that `requestUrl` names under `rootDir`, or null when the request is
 * not for our origin or could leave the folder (dot segments, encoded separators, NUL, drive
 * letters, backslashes). "/" maps to index.html.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  return resolveUnderRoot(rootDir, url.pathname);
}

/** Same rules for a raw, still percent-encoded URL path (used by the test server too). */
export function resolveUnderRoot(rootDir: string, encodedPathname: string): string | null {
  // Encoded separators and NUL are never legitimate in our asset names: refuse before decoding.
  if (/%(2f|5c|00)/i.test(encodedPathname)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(encodedPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..' || segment.includes(':'))) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, relative);
  const fromRoot = path.relative(root, resolved);
  if (fromRoot === '' || fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return null;
  return resolved;
}
