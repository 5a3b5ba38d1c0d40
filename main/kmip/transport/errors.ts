// Typed transport failures. Every message names the setting involved and what to do about it;
// none ever carries a passphrase, a password or key bytes.
import { isIP } from 'node:net';
import type { TlsSessionInfo } from './session-info';

export type TransportErrorCode =
  | 'INVALID_OPTIONS'
  | 'DNS_LOOKUP_FAILED'
  | 'CONNECTION_REFUSED'
  | 'NETWORK_UNREACHABLE'
  | 'CONNECT_TIMEOUT'
  | 'TLS_HANDSHAKE_FAILED'
  | 'CERT_UNTRUSTED'
  | 'CERT_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'HOSTNAME_MISMATCH'
  | 'PIN_MISMATCH'
  | 'TLS_VERSION_REFUSED'
  | 'CLIENT_CERT_REFUSED'
  | 'BAD_CLIENT_CREDENTIAL_FILE'
  | 'BAD_CA_FILE'
  | 'BAD_PINNED_CERT_FILE'
  | 'INVALID_CIPHERS'
  | 'REQUEST_TIMEOUT'
  | 'CONNECTION_CLOSED'
  /** a response above the cap (not read) */
  | 'MESSAGE_TOO_LARGE'
  /** a request above the cap (not sent) */
  | 'REQUEST_TOO_LARGE'
  | 'MALFORMED_RESPONSE';

/** The connection setting a failure points at (stable ids; the UI maps them to its labels). */
export type TransportField =
  | 'host'
  | 'port'
  | 'timeout'
  | 'verify'
  | 'clientCert'
  | 'clientKey'
  | 'caCerts'
  | 'pinnedServerCert'
  | 'ciphers';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: TransportErrorCode;
  readonly field: TransportField | undefined;
  /** What the TLS handshake revealed, when it got that far (for the Test diagnostics). */
  readonly tlsInfo: TlsSessionInfo | undefined;
  /** The low-level code (Node/OpenSSL), for diagnostics; never a secret. */
  readonly detail: string | undefined;
  /**
   * CONNECTION_CLOSED: how many requests the server had answered on the connection before it closed
   * (0: none). After answers, the server had accepted this client: the close is not a refusal of its certificate.
   */
  readonly answeredBeforeClose: number;

  constructor(
    code: TransportErrorCode,
    message: string,
    extra: { field?: TransportField; tlsInfo?: TlsSessionInfo; detail?: string; answeredBeforeClose?: number } = {},
  ) {
    super(message);
    this.code = code;
    this.field = extra.field;
    this.tlsInfo = extra.tlsInfo;
    this.detail = extra.detail;
    this.answeredBeforeClose = extra.answeredBeforeClose ?? 0;
  }
}

/** `text` with its first letter upper-cased, for messages that start with a peer's description. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** host:port for messages, with an IPv6 literal in brackets. */
export function formatTarget(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

interface SystemErrorLike {
  code?: string;
  message?: string;
  reason?: string;
}

function errorCode(err: unknown): string {
  const code = (err as SystemErrorLike | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** OpenSSL text without our secrets: Node's TLS errors never quote passphrases, only library reasons. */
function errorText(err: unknown): string {
  const message = (err as SystemErrorLike | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

const CLIENT_CERT_ALERTS = [
  'CERTIFICATE_REQUIRED',
  'UNKNOWN_CA',
  'BAD_CERTIFICATE',
  'UNSUPPORTED_CERTIFICATE',
  'CERTIFICATE_UNKNOWN',
  'CERTIFICATE_REVOKED',
  'CERTIFICATE_EXPIRED',
  'ACCESS_DENIED',
];

/**
 * Maps an error raised while connecting, handshaking or exchanging data to a TransportError.
 * `where` says how far the connection got, so that a bare reset can be explained.
 */
export function mapSocketError(
  err: unknown,
  ctx: {
    host: string;
    port: number;
    where: 'connect' | 'handshake' | 'exchange';
    hasClientCert: boolean;
    /** the server's certificate arrived, so cipher and version were agreed before the failure */
    serverCertificateSeen?: boolean;
  },
): TransportError {
  if (err instanceof TransportError) return err;
  const code = errorCode(err);
  const text = errorText(err);
  const target = formatTarget(ctx.host, ctx.port);
  const detail = code || text;

  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return new TransportError(
        'DNS_LOOKUP_FAILED',
        `Host Name "${ctx.host}" could not be resolved (${code}). Check the spelling, or use the server's IP address.`,
        { field: 'host', detail },
      );
    case 'ECONNREFUSED':
      return new TransportError(
        'CONNECTION_REFUSED',
        `Nothing accepts connections at ${target}. Check Host Name and Port (KMIP's port is 5696) and that the key server is running.`,
        { field: 'port', detail },
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new TransportError(
        'NETWORK_UNREACHABLE',
        `The network has no route to ${target} (${code}). Check Host Name, routing and firewalls.`,
        { field: 'host', detail },
      );
    case 'ETIMEDOUT':
      return new TransportError(
        'CONNECT_TIMEOUT',
        `The TCP connection to ${target} timed out (${code}). A firewall may be dropping packets; check Host Name and Port.`,
        { field: 'host', detail },
      );
    default:
      break;
  }

  const upper = `${code} ${text}`.toUpperCase();
  if (/UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION|UNSUPPORTED PROTOCOL|VERSION TOO LOW/.test(upper)) {
    return new TransportError(
      'TLS_VERSION_REFUSED',
      `The server at ${target} and this client share no TLS version. This client requires TLS 1.2 or newer; upgrade the server's TLS configuration.`,
      { detail },
    );
  }
  if (CLIENT_CERT_ALERTS.some((alert) => upper.includes(`ALERT_${alert}`) || upper.includes(`ALERT ${alert.replace(/_/g, ' ')}`))) {
    const what = ctx.hasClientCert
      ? 'refused the client certificate (it does not trust its issuer, or the certificate lacks the clientAuth extended key usage, or it has expired)'
      : 'requires a client certificate and none is configured';
    return new TransportError(
      'CLIENT_CERT_REFUSED',
      `The server at ${target} ${what}. Load a client certificate and key issued by a CA the server trusts in Cert and Key.`,
      { field: 'clientCert', detail },
    );
  }
  if (ctx.serverCertificateSeen && !ctx.hasClientCert && /HANDSHAKE_FAILURE|HANDSHAKE FAILURE/.test(upper)) {
    // TLS 1.2 servers answer a missing client certificate with a bare handshake_failure alert.
    return new TransportError(
      'CLIENT_CERT_REFUSED',
      `The server at ${target} requires a client certificate and none is configured. Load a client certificate and key issued by a CA the server trusts in Cert and Key.`,
      { field: 'clientCert', detail },
    );
  }
  if (/HANDSHAKE_FAILURE|HANDSHAKE FAILURE|NO_SHARED_CIPHER|NO_CIPHERS_AVAILABLE|INSUFFICIENT_SECURITY/.test(upper)) {
    const hint = ctx.hasClientCert
      ? 'check Ciphers (the server may accept none of them)'
      : 'check Ciphers, and whether the server requires a client certificate (Cert and Key are empty)';
    return new TransportError(
      'TLS_HANDSHAKE_FAILED',
      `The TLS handshake with ${target} failed: the server rejected the offer; ${hint}.`,
      { field: 'ciphers', detail },
    );
  }
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|RECORD_LAYER_FAILURE/.test(upper)) {
    if (ctx.where === 'exchange') {
      // After a good handshake, non-TLS bytes mean the stream was corrupted, not a wrong port.
      return new TransportError(
        'MALFORMED_RESPONSE',
        `The TLS session with ${target} broke: it received data that is not a valid TLS record. The connection was closed; retry, and if it recurs check for a proxy or load balancer between this machine and the key server.`,
        { detail },
      );
    }
    return new TransportError(
      'TLS_HANDSHAKE_FAILED',
      `The server at ${target} did not answer with TLS. Check that Port is the key server's KMIP/TLS port.`,
      { field: 'port', detail },
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC') {
    if (ctx.where === 'exchange') {
      return new TransportError('CONNECTION_CLOSED', `The connection to ${target} was reset by the server (${code}).`, { detail });
    }
    if (ctx.serverCertificateSeen && ctx.hasClientCert) return clientCertDropped(target, detail);
    const hint = ctx.hasClientCert
      ? 'it may not accept the client certificate, the TLS version or Ciphers'
      : 'it may require a client certificate (Cert and Key are empty), or refuse the TLS version or Ciphers';
    return new TransportError(
      'TLS_HANDSHAKE_FAILED',
      `The server at ${target} closed the connection during the TLS handshake (${code}); ${hint}.`,
      { detail },
    );
  }
  if (ctx.where === 'exchange') {
    return new TransportError('CONNECTION_CLOSED', `The connection to ${target} failed: ${text}.`, { detail });
  }
  return new TransportError('TLS_HANDSHAKE_FAILED', `The TLS connection to ${target} failed: ${text}.`, { detail });
}

/** The server hung up after it received our certificate: it refused it without saying why. */
export function clientCertDropped(target: string, detail: string): TransportError {
  return new TransportError(
    'CLIENT_CERT_REFUSED',
    `The server at ${target} closed the connection after receiving the client certificate: it most likely does not trust its issuer, or the certificate lacks the clientAuth extended key usage or has expired. Load a client certificate issued by a CA the server trusts in Cert and Key.`,
    { field: 'clientCert', detail },
  );
}

const UNTRUSTED_CHAIN = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'CERT_CHAIN_TOO_LONG',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_REJECTED',
]);

/** Maps an OpenSSL chain verification result (socket.authorizationError) for Verify = yes. */
export function chainVerificationError(
  reason: string,
  ctx: { host: string; port: number; usingCaCerts: boolean; tlsInfo: TlsSessionInfo },
): TransportError {
  const target = formatTarget(ctx.host, ctx.port);
  const leaf = ctx.tlsInfo.peerCertificate;
  const extra = { field: 'caCerts' as const, tlsInfo: ctx.tlsInfo, detail: reason };
  if (reason === 'CERT_HAS_EXPIRED') {
    return new TransportError(
      'CERT_EXPIRED',
      `The server certificate of ${target} (or one in its chain) has expired${leaf ? ` (leaf valid to ${leaf.validTo})` : ''}. Renew the server certificate, or check this machine's clock.`,
      extra,
    );
  }
  if (reason === 'CERT_NOT_YET_VALID') {
    return new TransportError(
      'CERT_NOT_YET_VALID',
      `The server certificate of ${target} is not valid yet${leaf ? ` (valid from ${leaf.validFrom})` : ''}. Check this machine's clock and the server's.`,
      extra,
    );
  }
  const issuer = leaf ? ` (issuer: ${leaf.issuer.replace(/\n/g, ', ')})` : '';
  const where = ctx.usingCaCerts ? 'CA Trusted Cert' : "this system's root certificates (CA Trusted Cert is empty)";
  const cause = UNTRUSTED_CHAIN.has(reason) ? 'does not chain to a trusted CA' : `failed verification`;
  return new TransportError(
    'CERT_UNTRUSTED',
    `The server certificate of ${target}${issuer} ${cause} in ${where} (${reason}). Load the CA that issued the server certificate into CA Trusted Cert, or pin the server certificate in Server Cert and set Verify = no.`,
    extra,
  );
}
