// The Content-Security-Policy sent with every app:// response. Styles are allowed by nonce only:
// emotion (MUI's style engine) stamps the nonce on the <style> elements it creates, so no
// 'unsafe-inline' is needed anywhere.

/** Placeholder in renderer/index.html that the protocol handler replaces with the response nonce. */
export const CSP_NONCE_PLACEHOLDER = '__CSP_NONCE__';

function directives(styleNonce: string): string[] {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "frame-ancestors 'none'",
  ];
}

export function contentSecurityPolicy(styleNonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(styleNonce)) throw new Error('contentSecurityPolicy: the nonce must be at least 16 base64 characters');
  return directives(styleNonce).join('; ');
}

/**
 * The same policy as a <meta http-equiv> in renderer/index.html (a second line of defence that
 * static scanners see). frame-ancestors is header-only: browsers ignore it, with a warning, in meta.
 */
export const META_CONTENT_SECURITY_POLICY = directives(CSP_NONCE_PLACEHOLDER)
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
