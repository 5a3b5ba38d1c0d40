// Builds the response for one renderer asset request: the file, its content type and the security
// headers. Shared by the app:// protocol handler and the e2e test server, so the tests run the page
// under exactly the headers the app sends.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CSP_NONCE_PLACEHOLDER, contentSecurityPolicy } from './content-security-policy';
import { resolveUnderRoot } from './app-protocol-path';

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function securityHeaders(nonce: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(nonce),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

/** Serves `encodedPathname` from `rootDir`; 404 for anything the resolver refuses or that is missing. */
export async function buildAppResponse(rootDir: string, encodedPathname: string): Promise<AppResponse> {
  const nonce = randomBytes(18).toString('base64');
  const headers = securityHeaders(nonce);
  const filePath = resolveUnderRoot(rootDir, encodedPathname);
  const contentType = filePath ? contentTypes[path.extname(filePath).toLowerCase()] : undefined;
  if (!filePath || !contentType) return notFound(headers);
  let body: Buffer;
  try {
    body = await readFile(filePath);
  } catch {
    return notFound(headers);
  }
  if (contentType.startsWith('text/html')) {
    body = Buffer.from(body.toString('utf8').split(CSP_NONCE_PLACEHOLDER).join(nonce), 'utf8');
  }
  return { status: 200, headers: { ...headers, 'Content-Type': contentType }, body };
}

function notFound(headers: Record<string, string>): AppResponse {
  return { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('Not found') };
}
