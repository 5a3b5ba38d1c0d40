// The Content-Security-Policy sent with every app:// response. Styles are allowed by nonce only:
// emotion (MUI's style engine) stamps the nonce on the <style> elements it creates, so no
// 'unsafe-inline' is needed anywhere.

/** Placeholder in renderer/index.html that the protocol handler replaces with the response nonce. */
export const CSP_NONCE_PLACEHOLDER = '__CSP_NONCE__';

export function contentSecurityPolicy(styleNonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(styleNonce)) throw new Error('contentSecurityPolicy: the nonce must be at least 16 base64 characters');
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
  ].join('; ');
}
